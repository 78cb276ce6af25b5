// Search page enhancement: runs Pagefind's JavaScript API and lists results as links.
// Without JavaScript the page links to the A to Z list instead (see search.html).
// No HTML strings are inserted: results are built as elements with text content.

// Where the site and Pagefind's bundle are: the page says so (the URL map made both addresses).
const form = document.querySelector(".search-form");
const root = new URL(form.dataset.site, document.baseURI);
const bundle = new URL(form.dataset.bundle, document.baseURI);
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const LIMIT = 20;

let pagefind;

// A large site's index comes in parts (the bundle's parts.json lists the others): searched as one.
async function load() {
  const [api, listed] = await Promise.all([
    import(bundle.href),
    fetch(new URL("parts.json", bundle)).then((response) => {
      if (!response.ok) throw new Error(`parts.json: ${response.status}`);
      return response.json();
    }),
  ]);
  await api.options({ baseUrl: root.pathname });
  await Promise.all(listed.parts.map((part) => api.mergeIndex(new URL(part, root).href, { baseUrl: root.pathname })));
  return api;
}

// Pagefind waits without end for its engine, which may never come (a host's policy refusing WebAssembly).
const PATIENCE_MS = 30000;

function withPatience(promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("the search index took too long to load")), PATIENCE_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// Loaded once, however many searches start while it loads. If it failed, every search says so until the page
// is loaded again: Pagefind keeps a part that failed to load, and cannot be loaded afresh within the page.
function engine() {
  pagefind ??= withPatience(load());
  return pagefind;
}

// Pagefind's excerpt is escaped text with <mark> around the words found: keep just those two.
function excerpt(html) {
  const fragment = document.createDocumentFragment();
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else {
      fragment.append(node.textContent);
    }
  }
  return fragment;
}

function item(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const heading = document.createElement("h2");
  heading.append(link);
  const text = document.createElement("p");
  text.append(excerpt(data.excerpt));
  li.append(heading, text);
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  try {
    const search = await (await engine()).search(query);
    const found = await Promise.all(search.results.slice(0, LIMIT).map((r) => r.data()));
    list.replaceChildren(...found.map(item));
    const count = search.results.length;
    status.textContent = count === 0
      ? `No results for “${query}”. Try another word, or browse the measures A to Z.`
      : `${count} result${count === 1 ? "" : "s"} for “${query}”` + (count > LIMIT ? `, the first ${LIMIT} shown.` : ".");
  } catch (error) {
    status.textContent = "Search could not load. Browse the measures A to Z instead.";
    throw error;
  }
}

document.getElementById("search-fallback").hidden = true;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(window.location.href);
  url.searchParams.set("q", input.value);
  window.history.replaceState(null, "", url);
  run(input.value);
});
const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
