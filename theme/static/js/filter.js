// Lists of measures (the A to Z and its narrowed lists), filtered as you type: a progressive enhancement.
// Without JavaScript the box below stays hidden and every measure is listed, as the page was built.
// Words stay in the page (the label, and the status sentence in data-words); nothing is inserted as HTML.
(() => {
  const box = document.getElementById("measure-filter");
  if (!box) return;
  const input = box.querySelector("input");
  const status = box.querySelector("[role='status']");
  const rows = [...document.querySelectorAll("table.measures tbody tr")];
  // A heading and its table (a letter of the A to Z) are hidden together when none of their rows match.
  const groups = [...document.querySelectorAll(".measure-group")];
  // A link to a group (the A to Z's letters) is hidden with it.
  const jumps = [...document.querySelectorAll(".letters a[href^='#']")];
  const plain = (text) => text.toLocaleLowerCase("en-GB").replace(/\s+/g, " ").trim();
  const texts = rows.map((row) => plain(row.textContent));
  const ANNOUNCE_AFTER_MS = 500;    // a screen reader hears the count once typing pauses, not at every key
  let pending;

  function filter() {
    const words = plain(input.value).split(" ").filter(Boolean);
    let shown = 0;
    rows.forEach((row, i) => {
      row.hidden = !words.every((word) => texts[i].includes(word));
      shown += row.hidden ? 0 : 1;
    });
    for (const group of groups) {
      group.hidden = !group.querySelector("tbody tr:not([hidden])");
    }
    for (const link of jumps) {
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      link.closest("li").hidden = Boolean(target && target.closest(".measure-group[hidden]"));
    }
    clearTimeout(pending);
    pending = setTimeout(() => {
      status.textContent = status.dataset.words.replace("{shown}", shown).replace("{total}", rows.length);
    }, ANNOUNCE_AFTER_MS);
  }

  input.addEventListener("input", filter);
  box.hidden = false;
  if (input.value) filter();    // a browser may restore the box's text on going back to the page
})();
