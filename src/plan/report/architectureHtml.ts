import { readFileSync } from "node:fs";

/** What the page shows: the diagram's Mermaid source, its title and the zone-loss table. */
export interface ArchitecturePage {
    title: string;
    /** Mermaid source (architecture.mmd). */
    diagram: string;
    /** Header row first. */
    zoneLoss: string[][];
    /** The availability table, as plain text. */
    availability: string;
}

/**
 * Mermaid's browser bundle (an IIFE that sets `globalThis.mermaid`, see the last line of
 * node_modules/mermaid/dist/mermaid.min.js) and its version. Read when the first page is written,
 * never at import: 3.5 MB the plan pays only when it writes files, once however many stacks it
 * plans (and the 3.5 MB regular-expression scan below with it).
 */
let bundle: { script: string; version: string } | undefined;
const mermaidBundle = () => (bundle ??= readBundle());

function readBundle(): { script: string; version: string } {
    const script = readFileSync(require.resolve("mermaid/dist/mermaid.min.js"), "utf8");
    const { version } = JSON.parse(readFileSync(require.resolve("mermaid/package.json"), "utf8")) as { version: string };
    // Inside <script>, "</script" ends the element and "<!--" followed by "<script" changes how
    // the HTML parser finds the end (HTML spec 13.2.5.4, script data states). A bundle holding
    // either cannot be inlined as it is: stop rather than write a page that breaks.
    if (/<\/script|<script/i.test(script)) throw new Error(`mermaid ${version}'s bundle holds a <script tag and cannot be inlined in architecture.html`);
    return { script, version };
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** A JS string literal safe inside <script>: "<" never appears, so neither can "</script". */
const scriptString = (s: string) => JSON.stringify(s).replace(/</g, "\\u003c");

/** The zone-loss table; a tier that goes down is marked so it stands out. */
function table([header, ...rows]: string[][]): string {
    const cells = (tag: string, row: string[]) => row.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join("");
    const body = rows.map((r) => `<tr${r.includes("DOWN") ? ' class="down"' : ""}>${cells("td", r)}</tr>`);
    return `<table>\n<thead><tr>${cells("th", header)}</tr></thead>\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>`;
}

/**
 * architecture.html: one file that draws the diagram with no network connection. Mermaid's
 * bundle is inlined and renders the source in the browser (mermaid.render:
 * https://mermaid.js.org/config/usage.html#api-usage); the page marks <body data-rendered> "yes"
 * or "error" so a headless browser test (tests/plan/architectureHtml.test.ts) can tell.
 */
export function architectureHtml(page: ArchitecturePage): string {
    const { script, version } = mermaidBundle();
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(page.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
tr.down td { background: #fdd; font-weight: bold; }
#diagram { margin: 1rem 0 2rem; }
</style>
</head>
<body data-rendered="no">
<h1>${escapeHtml(page.title)}</h1>
<div id="diagram">Drawing the diagram…</div>
<h2>Losing one zone</h2>
${table(page.zoneLoss)}
<h2>Availability</h2>
<pre>${escapeHtml(page.availability)}</pre>
<details><summary>Mermaid source (architecture.mmd)</summary><pre>${escapeHtml(page.diagram)}</pre></details>
<p><small>Drawn in this page by Mermaid ${escapeHtml(version)} (MIT licence), bundled: no network needed.</small></p>
<script>${script}</script>
<script>
(function () {
  var target = document.getElementById("diagram");
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  mermaid.render("architecture-svg", ${scriptString(page.diagram)}).then(
    function (result) { target.innerHTML = result.svg; document.body.dataset.rendered = "yes"; },
    function (error) { target.textContent = "The diagram could not be drawn: " + error; document.body.dataset.rendered = "error"; }
  );
})();
</script>
</body>
</html>
`;
}
