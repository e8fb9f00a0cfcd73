"""Accessibility checks for the browser tests: axe-core on every page a test lands on.

`A11yWatch` runs axe-core (vendored in tests/browser/vendor/axe-core, see its README) with
the WCAG 2.0 and 2.1 level A and AA rules on:

- the page at each screenshot taken with `shots` (so the states a test shows, such as an
  open dialog or a form with its errors, are checked as they are);
- every page still open when the test body ends;
- every address the test's tabs landed on with GET that neither checked: opened again at
  the end, in the same browser context, and checked.

A page that a test reached by POST (a form shown again with its errors, a preview) cannot
be opened again, so the test must take a screenshot of it; a landed page that could not be
checked at all (it was reached by POST, or now redirects elsewhere) fails the test with a
note saying so. Checking every page as it is left would be closer still, but Playwright
holds evaluations in a tab while a navigation there is pending, so it cannot be done from
the route handler.

A page is checked again only if its DOM changed since its last check. Violations (and the
few results axe leaves for review that always mean a defect here, see REVIEW_IS_FAILURE)
are collected and fail the test when its body ends, with one summary: where, rule id,
impact, help text and the target selectors.

The pages' Content-Security-Policy (`script-src 'self'`) refuses the inline <script> that
Playwright's `add_script_tag` writes, so axe is injected with `page.evaluate` of its
source instead: DevTools evaluation is not subject to the page's policy, and the policy
stays exactly as the teacher gets it for everything else the test does (no `bypass_csp`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).resolve().parent / "vendor" / "axe-core"
AXE_SOURCE = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
AXE_VERSION = AXE_SOURCE.split("\n", 1)[0].removeprefix("/*! axe ").strip()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Results axe leaves for a person to review ("incomplete") that, on these server-rendered
# pages, always mean a defect: an ARIA reference to an id that is not on the page (a help
# text or error never read out), an aria-label that screen readers ignore, an id that
# labels or describes two elements. They fail like violations.
REVIEW_IS_FAILURE = ["aria-valid-attr-value", "aria-prohibited-attr", "duplicate-id-aria"]

# Runs axe on the document and returns its failures in a plain shape; afterwards a
# MutationObserver remembers whether the DOM changed, so an unchanged page is not
# checked twice (a check takes a few hundred milliseconds).
RUN_AXE = """async ([tags, reviewIsFailure]) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations", "incomplete"],
  });
  window.__a11yDirty = false;
  if (!window.__a11yObserver) {
    window.__a11yObserver = new MutationObserver(() => { window.__a11yDirty = true; });
    window.__a11yObserver.observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  }
  const shape = (v, review) => ({
    id: v.id,
    impact: (v.impact || "unknown") + (review ? ", left for review" : ""),
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.flat().join(" "),
      html: n.html,
      summary: n.failureSummary
        || [...n.any, ...n.all, ...n.none].map((c) => c.message).join("; "),
    })),
  });
  return [
    ...result.violations.map((v) => shape(v, false)),
    ...result.incomplete.filter((v) => reviewIsFailure.includes(v.id)).map((v) => shape(v, true)),
  ];
}"""

NEEDS_CHECK = """() => document.contentType === "text/html"
  && !(window.__a11yObserver && window.__a11yDirty === false)"""


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on one page, with the elements that break it."""

    where: str  # the page's address (without the server's origin) and the moment checked
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    first_html: str
    first_summary: str

    def __str__(self) -> str:
        shown = list(self.targets[:6])
        more = f" (and {len(self.targets) - 6} more)" if len(self.targets) > 6 else ""
        # axe's summary: "Fix any of the following:" then one reason a line.
        head, *reasons = [line.strip() for line in self.first_summary.splitlines()] or [""]
        summary = f"{head} {'; '.join(r for r in reasons if r)}"
        return (
            f"  {self.rule} [{self.impact}] {self.help}\n"
            f"    {len(self.targets)} element(s): {', '.join(shown)}{more}\n"
            f"    first: {self.first_html[:200]}\n"
            f"    {summary[:400]}\n"
            f"    {self.help_url}"
        )


def axe_violations(page: Any, *, where: str) -> list[Violation]:
    """Inject axe-core into `page` if it is not there yet, run it, return its violations."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE + "\n;undefined")
    found = page.evaluate(RUN_AXE, [WCAG_TAGS, REVIEW_IS_FAILURE])
    return [
        Violation(
            where=where,
            rule=v["id"],
            impact=v["impact"],
            help=v["help"],
            help_url=v["helpUrl"],
            targets=tuple(n["target"] for n in v["nodes"]),
            first_html=v["nodes"][0]["html"] if v["nodes"] else "",
            first_summary=v["nodes"][0]["summary"] if v["nodes"] else "",
        )
        for v in found
    ]


def summarise(violations: list[Violation]) -> str:
    """Readable text for a failing test: violations grouped by page, repeats dropped."""
    by_where: dict[str, list[Violation]] = {}
    for violation in violations:
        listed = by_where.setdefault(violation.where, [])
        if violation not in listed:
            listed.append(violation)
    count = sum(len(listed) for listed in by_where.values())
    lines = [
        f"{count} accessibility violation(s) (axe-core {AXE_VERSION}, "
        f"WCAG 2.1 A/AA: {', '.join(WCAG_TAGS)}):"
    ]
    for where, listed in by_where.items():
        lines.append(f"{where}:")
        lines.extend(str(v) for v in listed)
    return "\n".join(lines)


@dataclass
class A11yWatch:
    """Checks every page of one test against WCAG 2.1 A/AA; see the module docstring."""

    origin: str  # the live server's URL: only the app's own pages are checked
    violations: list[Violation] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    landed: dict[str, str] = field(default_factory=dict)  # address -> method, in order

    def watch(self, context: Any) -> None:
        """Note every HTML page the context's tabs land on."""
        context.on("response", self._note_landing)

    def _note_landing(self, response: Any) -> None:
        request = response.request
        try:
            main_frame = request.frame.parent_frame is None
        except Exception:  # a service worker's request has no frame
            return
        if (
            main_frame
            and request.is_navigation_request()
            and request.url.startswith(self.origin)
            and not 300 <= response.status < 400
            and (response.headers.get("content-type") or "").startswith("text/html")
        ):
            url = _without_fragment(request.url)
            if self.landed.get(url) != "GET":  # once reached by GET, it can be opened again
                self.landed[url] = request.method

    def _address(self, url: str) -> str:
        return url.removeprefix(self.origin) or "/"

    def check(self, page: Any, *, moment: str) -> None:
        """Run axe on the page as it is now, if it is one of the app's HTML pages."""
        if page.is_closed() or not page.url.startswith(self.origin):
            return
        if page.evaluate(NEEDS_CHECK):
            where = f"{self._address(page.url)} ({moment})"
            self.violations.extend(axe_violations(page, where=where))
        self.checked.add(_without_fragment(page.url))

    def finish(self, context: Any) -> None:
        """Check the pages still open and open again the ones landed on but not checked;
        fail on any violation, or on a page that could not be checked, with a summary."""
        for page in context.pages:
            self.check(page, moment="where the test ended")
        unchecked = [url for url in self.landed if url not in self.checked]
        missed: list[str] = []
        if unchecked:
            page = context.new_page()
            try:
                for url in unchecked:
                    if self.landed[url] != "GET":
                        missed.append(f"{self._address(url)} (reached by {self.landed[url]})")
                        continue
                    page.goto(url)
                    if _without_fragment(page.url) != url:
                        missed.append(f"{self._address(url)} (now leads to another page)")
                        continue
                    self.check(page, moment="opened again at the end of the test")
            finally:
                page.close()
        problems = []
        if self.violations:
            problems.append(summarise(self.violations))
        if missed:
            problems.append(
                "Pages the test landed on that the accessibility check could not reach: "
                + "; ".join(missed)
                + ". Take a screenshot there with shots(page, ...) so it is checked."
            )
        if problems:
            raise AssertionError("\n".join(problems))
