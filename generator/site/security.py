"""The Content-Security-Policy and other response headers, written once.

Pages carry the policy in a <meta> tag (it works on any host); hosts that read a `_headers`
file (Netlify, Cloudflare Pages and others) also send it as a real header, with the parts a
meta tag cannot carry (frame-ancestors) and the other hardening headers. Only the search page
may compile WebAssembly, because Pagefind's search engine is WebAssembly.
"""

from __future__ import annotations

POLICY = ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "font-src 'self'",
          "connect-src 'self'", "base-uri 'none'", "form-action 'self'"]


def csp(wasm: bool = False, header: bool = False) -> str:
    """The policy for a page; `header` adds what only a real header can say."""
    policy = [p + " 'wasm-unsafe-eval'" if wasm and p.startswith("script-src") else p for p in POLICY]
    if header:
        policy += ["frame-ancestors 'none'"]
    return "; ".join(policy)


HARDENING = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def headers_file(base_path: str, wasm: list[str]) -> str:
    """A `_headers` file (Cloudflare Pages syntax, which Netlify also reads): every path gets the strict
    policy; the paths in `wasm` (the search page, and Pagefind's bundle, whose worker script takes its policy
    from its own response) replace it with one that adds WebAssembly."""
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    lines = [f"{base}*"]
    lines += [f"  {name}: {value}" for name, value in HARDENING.items()]
    lines += [f"  Content-Security-Policy: {csp(header=True)}", ""]
    for path in wasm:
        lines += [f"{base}{path}*",
                  "  ! Content-Security-Policy",   # Cloudflare Pages: replace, do not add to, the policy above
                  f"  Content-Security-Policy: {csp(wasm=True, header=True)}", ""]
    return "\n".join(lines)
