"""Hardened pages: one Content-Security-Policy, in every page and in the hosts' `_headers` file."""

from __future__ import annotations

import re

import pytest

from generator.site import security

site_group = pytest.mark.xdist_group("site")


def _meta_csp(html: str) -> str:
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)[1]


@site_group
def test_every_page_has_the_strict_policy_and_only_search_allows_webassembly(site):
    for page in site.rglob("*.html"):
        policy = _meta_csp(page.read_text(encoding="utf-8")).replace("&#39;", "'")
        expected = security.csp(wasm=page.parent.name == "search" and page.parent.parent == site)
        assert policy == expected, page
        assert "unsafe-inline" not in policy and "unsafe-eval'" not in policy.replace("wasm-unsafe-eval'", "")


@site_group
def test_headers_file_repeats_the_policy_for_hosts_that_read_one(site):
    text = (site / "_headers").read_text()
    assert "/*\n" in text and f"  Content-Security-Policy: {security.csp(header=True)}" in text
    # The search page, and Pagefind's worker script (its policy is its own response's), may run WebAssembly.
    assert "/search/*\n  ! Content-Security-Policy\n" in text
    assert "/pagefind/*\n  ! Content-Security-Policy\n" in text
    assert "frame-ancestors 'none'" in text and "X-Content-Type-Options: nosniff" in text
    assert text.count("wasm-unsafe-eval") == 2


def test_headers_file_follows_the_base_path():
    assert security.headers_file("/dashboard/", ["search/"]).startswith("/dashboard/*\n")
    assert "/dashboard/search/*" in security.headers_file("dashboard", ["search/", "pagefind/"])
    assert "/dashboard/pagefind/*" in security.headers_file("dashboard", ["search/", "pagefind/"])
