// rasterkit diff-dir index: every pair of the two folders, sortable and filterable.
// Rows are built once from the JSON in #batch-data; text goes in with textContent only.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("batch-data").textContent);
  const $ = (id) => document.getElementById(id);
  const STATUSES = ["changed", "new", "deleted", "error", "identical", "skipped"];
  const KINDS = ["removed", "added", "changed", "moved"];
  const RANK = Object.fromEntries(STATUSES.map((s, i) => [s, i]));
  const state = { sort: "status", direction: 1, show: new Set(STATUSES), text: "" };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // A relative link to a file the batch wrote: every path segment URL-encoded.
  const href = (path) => path.split("/").map(encodeURIComponent).join("/");
  const total = (p) => KINDS.reduce((n, k) => n + p.hunks[k], 0);
  const size = (s) => (s ? s.width + "×" + s.height : "–");

  // Changes that `diff-dir --accept` can take into the baseline.
  const ACCEPTABLE = new Set(["changed", "new", "deleted"]);
  const picked = new Set();
  // POSIX shell quoting: a word of safe characters as it is, else in single quotes.
  const quote = (s) => /^[A-Za-z0-9_\/.,:=@%+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";

  function pickCell(p) {
    const cell = el("td", "pick");
    if (!ACCEPTABLE.has(p.status)) return cell;
    const box = el("input");
    box.type = "checkbox";
    box.setAttribute("aria-label", "accept " + p.path);
    box.addEventListener("change", () => {
      if (box.checked) picked.add(p.path); else picked.delete(p.path);
      showCommand();
    });
    cell.appendChild(box);
    return cell;
  }

  function showCommand() {
    const paths = data.pairs.map((p) => p.path).filter((p) => picked.has(p));
    $("accept").hidden = paths.length === 0;
    $("picked").textContent = paths.length + " selected to accept";
    $("accept-command").value = ["rasterkit", "diff-dir", data.before, data.after, "--accept",
                                 ...paths].map(quote).join(" ");
  }

  function row(p) {
    const tr = el("tr");
    tr.dataset.path = p.path;
    tr.dataset.status = p.status;
    const pick = pickCell(p);
    const thumb = el("td", "thumb");
    if (p.thumbnail) {
      // The top of the page; beside it a strip standing for the whole height, hunks marked.
      const link = el("a", "thumblink");
      link.href = p.report ? href(p.report) : "#" + encodeURIComponent(p.path);
      link.title = p.report ? "open the report of " + p.path : "view " + p.path;
      if (!p.report) link.addEventListener("click", (e) => { e.preventDefault(); openViewer(p); });
      const img = el("img");
      img.loading = "lazy";
      img.alt = p.path;
      img.src = href(p.thumbnail);
      const strip = el("div", "strip");
      strip.title = "the whole page; marks show the hunks";
      for (const [y0, y1, kind] of p.marks) {
        const mark = el("div", "mark kind-" + kind);
        mark.style.top = (100 * y0) + "%";
        mark.style.height = (100 * (y1 - y0)) + "%";
        strip.appendChild(mark);
      }
      link.append(img, strip);
      thumb.appendChild(link);
    }
    const path = el("td", "path", p.path);
    if (p.note) path.appendChild(el("span", "note", p.note));
    const status = el("td");
    status.appendChild(el("span", "status " + p.status, p.status));
    const hunks = el("td", "num kinds");
    for (const kind of KINDS) {
      if (!p.hunks[kind]) continue;
      const tag = el("span", kind);
      tag.title = kind;
      tag.appendChild(el("i"));
      tag.appendChild(document.createTextNode(p.hunks[kind] + " " + kind));
      hunks.appendChild(tag);
    }
    const rows = el("td", "num", p.changed_rows ? p.changed_rows.toLocaleString("en") : "");
    const pixels = el("td", "num", p.changed_pixels ? p.changed_pixels.toLocaleString("en") : "");
    const dims = el("td", "num", p.a && p.b && (p.a.width !== p.b.width || p.a.height !== p.b.height)
      ? size(p.a) + " → " + size(p.b) : size(p.b || p.a));
    const report = el("td");
    if (p.report) {
      const link = el("a", "report", "open");
      link.href = href(p.report);
      report.appendChild(link);
    }
    tr.append(pick, thumb, path, status, hunks, rows, pixels, dims, report);
    return tr;
  }

  // ---- the viewer: new and deleted images (their previews), others' thumbnails -------------
  const viewer = $("viewer");
  let viewing = null;
  const viewable = () => shownRows.map((r) => r.pair).filter((p) => p.preview || p.thumbnail);

  function openViewer(p) {
    viewing = p;
    const list = viewable();
    const at = list.indexOf(p);
    $("viewer-status").className = "status " + p.status;
    $("viewer-status").textContent = p.status;
    $("viewer-path").textContent = p.path;
    $("viewer-size").textContent = size(p.b || p.a);
    $("viewer-position").textContent = (at + 1) + " of " + list.length;
    $("viewer-note").textContent = p.preview ? ""
      : "thumbnail only (the top of the page): previews are kept for new and deleted images";
    $("viewer-prev").disabled = at <= 0;
    $("viewer-next").disabled = at < 0 || at >= list.length - 1;
    const report = $("viewer-report");
    report.hidden = !p.report;
    if (p.report) report.href = href(p.report);
    $("viewer-image").src = href(p.preview || p.thumbnail);
    $("viewer-image").alt = p.path;
    $("viewer-body").scrollTop = 0;
    if (!viewer.open) viewer.showModal();
  }
  function stepViewer(delta) {
    const list = viewable();
    const next = list[list.indexOf(viewing) + delta];
    if (next) openViewer(next);
  }
  $("viewer-prev").addEventListener("click", () => stepViewer(-1));
  $("viewer-next").addEventListener("click", () => stepViewer(1));
  $("viewer-close").addEventListener("click", () => viewer.close());
  viewer.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight" || e.key === "]") stepViewer(1);
    else if (e.key === "ArrowLeft" || e.key === "[") stepViewer(-1);
    else return;
    e.preventDefault();
  });
  viewer.addEventListener("click", (e) => { if (e.target === viewer) viewer.close(); });

  const body = $("rows");
  const rows = data.pairs.map((p) => ({ pair: p, node: row(p) }));
  let shownRows = rows;

  function key(p) {
    if (state.sort === "path") return p.path;
    if (state.sort === "status") return RANK[p.status];
    if (state.sort === "hunks") return total(p);
    return p[state.sort];
  }

  function render() {
    const text = state.text.toLowerCase();
    const shown = rows.filter((r) => state.show.has(r.pair.status) &&
                                     (!text || r.pair.path.toLowerCase().includes(text)));
    shown.sort((x, y) => {
      const a = key(x.pair), b = key(y.pair);
      const order = a < b ? -1 : a > b ? 1 : 0;
      return order * state.direction || (x.pair.path < y.pair.path ? -1 : 1);
    });
    shownRows = shown;
    const frag = document.createDocumentFragment();
    for (const r of shown) frag.appendChild(r.node);
    body.replaceChildren(frag);
    $("shown").textContent = shown.length + " of " + rows.length + " shown";
    document.querySelectorAll("th[data-sort]").forEach((th) => {
      th.setAttribute("aria-sort", th.dataset.sort === state.sort
        ? (state.direction > 0 ? "ascending" : "descending") : "none");
    });
  }

  for (const status of STATUSES) {
    const count = data.summary[status];
    if (!count) continue;
    const chip = el("button", "chip", status);
    chip.dataset.status = status;
    chip.appendChild(el("span", "n", String(count)));
    chip.setAttribute("aria-pressed", "true");
    chip.addEventListener("click", () => {
      if (state.show.has(status)) state.show.delete(status); else state.show.add(status);
      chip.setAttribute("aria-pressed", String(state.show.has(status)));
      render();
    });
    $("filters").appendChild(chip);
  }
  document.querySelectorAll("th[data-sort]").forEach((th) => th.addEventListener("click", () => {
    const numeric = th.classList.contains("num");
    if (state.sort === th.dataset.sort) state.direction = -state.direction;
    else { state.sort = th.dataset.sort; state.direction = numeric ? -1 : 1; }
    render();
  }));
  $("search").addEventListener("input", (e) => { state.text = e.target.value; render(); });
  $("pick-all").addEventListener("change", (e) => {
    for (const box of body.querySelectorAll("td.pick input")) {
      box.checked = e.target.checked;
      const path = box.closest("tr").dataset.path;
      if (box.checked) picked.add(path); else picked.delete(path);
    }
    showCommand();
  });
  $("copy").addEventListener("click", () => {
    const field = $("accept-command");
    field.select();
    const done = () => { $("copy").textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, () => document.execCommand("copy") && done());
    } else if (document.execCommand("copy")) {
      done();
    }
  });
  if (!rows.length) body.parentNode.after(el("div", "empty", "No files in either folder."));
  render();
  // index.html#PATH opens that image in the viewer (the links of new and deleted images).
  const linked = decodeURIComponent(location.hash.slice(1));
  const target = linked && rows.find((r) => r.pair.path === linked && !r.pair.report);
  if (target && target.pair.thumbnail) openViewer(target.pair);
  document.body.dataset.ready = "true";
})();
