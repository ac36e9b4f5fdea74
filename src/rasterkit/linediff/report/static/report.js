// rasterkit diff report: aligned views of two images on their common row axis.
// Everything is drawn from the JSON in #diff-data; text is inserted with textContent only.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("diff-data").textContent);
  const $ = (id) => document.getElementById(id);
  const body = document.body;
  const scroller = $("scroller"), canvas = $("canvas"), stage = $("stage");
  const cols = { a: $("col-a"), b: $("col-b") };
  const gutter = $("gutter"), divider = $("divider");
  const GUTTER = 28, PAD = 16;
  // "Fit width" never goes below this scale side by side: 14 px text stays >= 10.5 px tall;
  // the two panes then show the same columns of A and B and scroll sideways together.
  const LEGIBLE = 0.75, MIN_SCALE = 0.05, MAX_SCALE = 8, STEP = 1.25, MARGIN = 24;
  const W = data.width, H = data.height;
  const VIEWS = ["aligned", "overlay", "swipe", "onion", "difference", "blink"];
  const state = { view: "aligned", zoom: "fit", scale: 1, current: -1, place: 0, blink: null,
                  pane: 0, off: 0 };

  function el(tag, cls, style) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (style) Object.assign(node.style, style);
    return node;
  }
  const px = (v) => v + "px";

  // ---- build the stage: tiles, gaps, tints, boxes, gutter bands -----------------------
  function buildColumn(side) {
    const col = cols[side];
    const own = data[side].width;
    col.style.width = px(W);
    col.style.height = px(H);
    if (own < W) col.appendChild(el("div", "pad", { left: px(own), width: px(W - own), top: "0", height: px(H) }));
    for (const [y0, y1] of data.gaps[side]) {
      col.appendChild(el("div", "gap", { left: "0", width: px(W), top: px(y0), height: px(y1 - y0) }));
    }
    data.tiles[side].forEach((name, i) => {
      const y0 = i * data.tiles.rows, rows = Math.min(data.tiles.rows, H - y0);
      const img = el("img", "tile", { top: px(y0), width: px(W), height: px(rows) });
      img.alt = "";
      img.dataset.src = data.tiles.folder + name;
      img.dataset.tile = String(i);
      col.appendChild(img);
      lazy.observe(img);
    });
    data.hunks.forEach((h, i) => {
      if (h.frames) {
        // A hunk of one column: a frame around its rows in that column, or a bar across the
        // column where the rows would be, on the side that lacks them.
        const [y0, y1] = h.frames[side];
        const cls = (y1 > y0 ? "frame" : "frame bar") + " kind-" + h.kind;
        const frame = el("div", cls, y1 > y0
          ? { left: px(h.x[0] + 1), width: px(h.x[1] - h.x[0] - 2), top: px(y0 - 3), height: px(y1 - y0 + 6) }
          : { left: px(h.x[0] + 1), width: px(h.x[1] - h.x[0] - 2), top: px(y0 - 2), height: px(4) });
        frame.dataset.hunk = String(i);
        col.appendChild(frame);
        if (y1 > y0) {
          const tint = el("div", "tint in-column kind-" + h.kind, { top: px(y0), height: px(y1 - y0) });
          tint.dataset.hunk = String(i);
          col.appendChild(tint);
        }
      } else {
        for (const [y0, y1] of h.spans) {
          const tint = el("div", "tint kind-" + h.kind, { top: px(y0), height: px(Math.max(1, y1 - y0)) });
          tint.dataset.hunk = String(i);
          col.appendChild(tint);
        }
      }
      for (const b of h.axis_boxes) {
        if (!b[4].includes(side)) continue;
        col.appendChild(el("div", "box", { left: px(b[0] - 3), top: px(b[1] - 3), width: px(b[2] - b[0] + 6), height: px(b[3] - b[1] + 6) }));
      }
    });
  }

  function buildGutter() {
    gutter.style.left = px(W);
    gutter.style.width = px(GUTTER);
    gutter.style.height = px(H);
    data.hunks.forEach((h, i) => {
      const first = h.spans[0], last = h.spans[h.spans.length - 1];
      if (h.spans.length > 1) {
        // The two places of a move, joined.
        const link = el("div", "link", { top: px(first[0]), height: px(last[1] - first[0]) });
        link.dataset.hunk = String(i);
        gutter.appendChild(link);
      }
      for (const [y0, y1] of h.spans) {
        const band = el("div", "band kind-" + h.kind, { top: px(y0), height: px(Math.max(2, y1 - y0)) });
        band.dataset.hunk = String(i);
        band.title = h.kind + " " + h.detail;
        band.addEventListener("click", () => go(i));
        gutter.appendChild(band);
      }
    });
  }

  const lazy = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        const img = entry.target;
        img.src = img.dataset.src;
        lazy.unobserve(img);
      }
    }
  }, { root: scroller, rootMargin: "150% 0px" });

  // ---- hunk list ---------------------------------------------------------------------
  function buildList() {
    const list = $("hunk-list");
    if (!data.hunks.length) {
      const note = el("div", data.identical ? "identical" : "empty");
      note.textContent = data.identical ? "Identical: every pixel is equal." : "No hunks.";
      list.replaceWith(note);
      return;
    }
    data.hunks.forEach((h, i) => {
      const li = el("li", "kind-" + h.kind);
      li.dataset.index = String(i);
      li.dataset.kind = h.kind;
      const badge = el("span", "badge");
      badge.textContent = h.kind;
      const range = el("span", "range");
      range.textContent = "-" + h.a[0] + ":" + h.a[1] + " +" + h.b[0] + ":" + h.b[1];
      if (h.kind === "moved") range.title = "rows " + h.a[0] + "–" + h.a[1] + " of A are rows " + h.b[0] + "–" + h.b[1] + " of B";
      const detail = el("span", "detail");
      detail.textContent = h.detail;
      li.append(badge, range, detail);
      if (h.frames) {
        const where = el("span", "where");
        where.textContent = "in x " + h.x[0] + ":" + h.x[1];
        where.title = "a hunk of one column: its rows were aligned within columns " + h.x[0] + " to " + h.x[1];
        li.append(where);
      }
      if (h.column_view) {
        const open = el("button", "column-open");
        open.textContent = "column ▸";
        open.title = "this column aligned on its own, gaps hatched (c)";
        open.addEventListener("click", (e) => { e.stopPropagation(); go(i); showColumn(i); });
        li.append(open);
      }
      li.addEventListener("click", () => go(i));
      list.appendChild(li);
    });
  }

  function buildMinimap() {
    const img = $("minimap-image");
    img.src = data.tiles.folder + data.minimap.src;
    const marks = $("minimap-marks");
    data.hunks.forEach((h, i) => {
      for (const [y0, y1] of h.spans) {
        const mark = el("div", "mark", {
          top: (100 * y0 / H) + "%", height: (100 * (y1 - y0) / H) + "%",
          background: getComputedStyle(document.documentElement).getPropertyValue("--" + h.kind),
        });
        mark.dataset.hunk = String(i);
        marks.appendChild(mark);
      }
    });
    const mini = $("minimap");
    let dragging = false;
    const jump = (event) => {
      const box = marks.getBoundingClientRect();
      const f = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
      scroller.scrollTop = f * H * state.scale - scroller.clientHeight / 2;
    };
    mini.addEventListener("pointerdown", (e) => { dragging = true; mini.setPointerCapture(e.pointerId); jump(e); });
    mini.addEventListener("pointermove", (e) => { if (dragging) jump(e); });
    mini.addEventListener("pointerup", () => { dragging = false; });
  }

  function updateViewport() {
    const box = $("viewport"), marks = $("minimap-marks");
    const total = H * state.scale || 1;
    const top = scroller.scrollTop / total, height = scroller.clientHeight / total;
    const area = marks.offsetHeight;
    box.style.top = px(8 + Math.max(0, top) * area);
    box.style.height = px(Math.max(6, Math.min(1, height) * area));
    // Keep the swipe handle in the middle of what is on screen.
    divider.firstElementChild.style.top = px((scroller.scrollTop + scroller.clientHeight / 2) / state.scale);
  }

  // ---- layout: view, zoom, and the panes of the aligned view --------------------------
  // Side by side, each pane shows columns [off, off + pane) of its image; the canvas is wider
  // than the stage by the columns not shown, so the scroller's own horizontal scroll pans
  // both panes together (the stage is moved along, the columns inside it shifted and clipped).
  function stacked() { return state.view !== "aligned"; }
  const room = () => Math.max(1, scroller.clientWidth - 2 * PAD);
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

  // Side by side with columns hidden: the panes pan (see layout).
  const panning = () => !stacked() && state.pane < W;
  // The columns [x0, x1) of a hunk's boxes of differing pixels; null when it has none.
  const columns = (h) => h.axis_boxes.length
    ? [Math.min(...h.axis_boxes.map((b) => b[0])), Math.max(...h.axis_boxes.map((b) => b[2]))] : null;

  function fitScale() {
    const all = room() / (stacked() ? W : 2 * W + GUTTER);
    return stacked() ? Math.min(1, all) : Math.min(1, Math.max(all, LEGIBLE));
  }

  function layout() {
    const keepY = (scroller.scrollTop + scroller.clientHeight / 2) / (H * state.scale || 1);
    const keepX = state.off + state.pane / 2;
    if (state.zoom === "fit") state.scale = fitScale();
    else if (state.zoom === "1") state.scale = 1;
    const s = state.scale;
    state.pane = stacked() ? W : clamp(Math.floor((room() / s - GUTTER) / 2), 1, W);
    const stageWidth = stacked() ? W : 2 * state.pane + GUTTER;
    gutter.style.left = px(state.pane);
    stage.style.width = px(stageWidth);
    stage.style.height = px(H);
    stage.style.setProperty("--px", (1 / s) + "px");
    stage.style.setProperty("--unscale", String(1 / s));
    // Panning: the canvas is wider than the view by exactly the columns not shown.
    canvas.style.width = px(Math.ceil(stageWidth * s) + (panning() ? 2 * PAD + Math.ceil((W - state.pane) * s) : 0));
    canvas.style.height = px(Math.ceil(H * s) + PAD);
    // On whole screen pixels, so 1:1 draws each image pixel on one screen pixel, unresampled.
    const top = scroller.getBoundingClientRect().top;
    canvas.style.marginTop = px(PAD / 2 + (Math.ceil(top) - top));
    divider.style.height = px(H);
    scroller.scrollTop = Math.round(keepY * H * s - scroller.clientHeight / 2);
    panTo(keepX - state.pane / 2);
    updateViewport();
  }

  // Show columns from x (image pixels) in both panes.
  function panTo(x) {
    state.off = stacked() ? 0 : clamp(Math.round(x), 0, W - state.pane);
    scroller.scrollLeft = state.off * state.scale;
    applyPan();
  }

  function applyPan() {
    const s = state.scale, shift = stacked() ? 0 : scroller.scrollLeft;
    if (!stacked()) state.off = clamp(Math.round(shift / s), 0, W - state.pane);
    const clip = stacked() ? "" : "inset(0 " + px(W - state.off - state.pane) + " 0 " + px(state.off) + ")";
    cols.a.style.left = px(stacked() ? 0 : -state.off);
    cols.b.style.left = px(stacked() ? 0 : state.pane + GUTTER - state.off);
    cols.a.style.clipPath = cols.b.style.clipPath = clip;
    stage.style.transform = "translate(" + px(shift + (panning() ? PAD : 0)) + ", 0) scale(" + s + ")";
  }

  function zoomBy(factor) {
    state.zoom = "custom";
    state.scale = clamp(state.scale * factor, MIN_SCALE, MAX_SCALE);
    showZoom();
    layout();
  }

  // Zoom so the current hunk (its boxes of differing pixels, else its rows at full width)
  // fills the panes, and bring it into view in both.
  function zoomToHunk() {
    if (state.current < 0) step(1);
    const h = data.hunks[state.current];
    if (!h) return;
    const [y0, y1] = h.spans[Math.min(state.place, h.spans.length - 1)];
    const [x0, x1] = columns(h) || [0, W];
    const wide = Math.min(W, x1 - x0 + 2 * MARGIN), tall = y1 - y0 + 2 * MARGIN;
    const across = room() / (stacked() ? wide : 2 * wide + GUTTER);
    state.zoom = "hunk";
    state.scale = clamp(Math.min(across, 0.9 * scroller.clientHeight / tall, 4), MIN_SCALE, MAX_SCALE);
    showZoom();
    layout();
    reveal(h, state.place);
  }

  function showZoom() {
    document.querySelectorAll("[data-zoom]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.zoom === state.zoom)));
    $("zoom-level").textContent = Math.round(state.scale * 100) + "%";
  }

  function setView(view) {
    state.view = view;
    for (const v of VIEWS) body.classList.toggle("view-" + v, v === view);
    body.classList.toggle("stacked", stacked());
    document.querySelectorAll("[data-view]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.view === view)));
    clearInterval(state.blink);
    body.classList.remove("show-a");
    if (view === "blink") {
      const flip = () => {
        body.classList.toggle("show-a");
        $("blink-state").textContent = body.classList.contains("show-a") ? "A" : "B";
      };
      flip();
      state.blink = setInterval(flip, 700);
    }
    layout();
  }

  function setZoom(zoom) {
    state.zoom = zoom;
    layout();
    showZoom();
  }

  function setHighlight(on) {
    $("highlight").checked = on;
    body.classList.toggle("no-highlight", !on);
  }

  // ---- hunk navigation -------------------------------------------------------------------
  function mark(i) {
    state.current = i;
    document.querySelectorAll(".current").forEach((n) => n.classList.remove("current"));
    document.querySelectorAll('[data-hunk="' + i + '"], #hunk-list li[data-index="' + i + '"]').forEach((n) => n.classList.add("current"));
    const item = document.querySelector('#hunk-list li[data-index="' + i + '"]');
    if (item) item.scrollIntoView({ block: "nearest" });
    const h = data.hunks[i];
    const where = h && h.spans.length > 1 ? (state.place ? " · moved: to (in B)" : " · moved: from (in A)") : "";
    $("position").textContent = data.hunks.length ? (i >= 0 ? "hunk " + (i + 1) : "–") + " of " + data.hunks.length + where : "no hunks";
    $("prev").disabled = i <= 0 && state.place === 0;
    $("next").disabled = i >= data.hunks.length - 1 && (!h || state.place >= h.spans.length - 1);
  }

  // Scroll so place `place` of hunk h is in view, its differing columns in both panes.
  function reveal(h, place) {
    const [y0, y1] = h.spans[Math.min(place, h.spans.length - 1)];
    const s = state.scale, view = scroller.clientHeight;
    const middle = (y0 + y1) / 2 * s;
    scroller.scrollTop = Math.round((y1 - y0) * s < 0.6 * view ? middle - view / 2 : Math.max(0, y0 * s - view * 0.2));
    const span = panning() && columns(h);
    if (span && (span[0] < state.off || span[1] > state.off + state.pane)) {
      panTo((span[0] + span[1]) / 2 - state.pane / 2);
    }
  }

  function go(i, place = 0) {
    if (!data.hunks.length) return;
    i = Math.max(0, Math.min(data.hunks.length - 1, i));
    state.place = place;
    mark(i);
    reveal(data.hunks[i], place);
    history.replaceState(null, "", "#hunk-" + (i + 1));
  }

  // Next / previous: a moved hunk is visited at both of its places, where it was and where it is.
  function step(delta) {
    const h = data.hunks[state.current];
    if (h && h.spans.length > 1 && state.place + delta >= 0 && state.place + delta < h.spans.length) {
      go(state.current, state.place + delta);
    } else if (state.current < 0) {
      // From wherever the reader is: the first hunk below (or above) the top of the view.
      const y = (scroller.scrollTop + scroller.clientHeight * 0.2 + 1) / state.scale;
      const after = data.hunks.findIndex((x) => x.spans[0][0] >= y);
      go(delta > 0 ? (after < 0 ? data.hunks.length - 1 : after) : (after < 0 ? data.hunks.length - 1 : after - 1));
    } else if (delta < 0 && state.current > 0) {
      const previous = data.hunks[state.current - 1];
      go(state.current - 1, previous.spans.length - 1);
    } else {
      go(state.current + delta);
    }
  }

  function fromFragment() {
    const match = /^#hunk-(\d+)$/.exec(location.hash);
    if (match) go(parseInt(match[1], 10) - 1);
  }

  // ---- a column hunk's own column, aligned on its own -------------------------------------
  const columnView = $("column-view");
  function showColumn(i) {
    const h = data.hunks[i];
    if (!h || !h.column_view) return;
    $("column-title").textContent = "Hunk " + (i + 1) + ": " + h.kind + " " + h.detail + " in x " +
      h.x[0] + ":" + h.x[1] + " (A | B, this column aligned on its own, gaps hatched)";
    const img = $("column-image");
    img.src = data.tiles.folder + h.column_view.src;
    img.width = h.column_view.width;
    img.height = h.column_view.height;
    img.classList.remove("full");
    columnView.hidden = false;
    $("column-close").focus();
  }
  const hideColumn = () => { columnView.hidden = true; };
  // The picture fits the panel; a click shows it at 1:1 (and back).
  $("column-image").addEventListener("click", (e) => e.target.classList.toggle("full"));
  $("column-close").addEventListener("click", hideColumn);
  columnView.addEventListener("click", (e) => { if (e.target === columnView) hideColumn(); });

  // ---- swipe divider and onion slider --------------------------------------------------------
  function setSwipe(f) {
    f = Math.min(1, Math.max(0, f));
    stage.style.setProperty("--swipe", f);
    divider.style.left = px(f * W);
  }
  divider.addEventListener("pointerdown", (e) => {
    divider.setPointerCapture(e.pointerId);
    const move = (ev) => setSwipe((ev.clientX - stage.getBoundingClientRect().left) / (W * state.scale));
    const up = () => { divider.removeEventListener("pointermove", move); divider.removeEventListener("pointerup", up); };
    divider.addEventListener("pointermove", move);
    divider.addEventListener("pointerup", up);
  });
  $("onion").addEventListener("input", (e) => stage.style.setProperty("--onion", e.target.value / 100));

  // ---- in a diff-dir review: back to the index, previous / next changed pair ------------
  const pairs = JSON.parse($("pair-nav-data").textContent);
  const pairLinks = { "i": "pair-index", "[": "pair-prev", "]": "pair-next" };
  if (pairs) {
    $("pair-nav").hidden = false;
    $("pair-index").href = pairs.index;
    $("pair-position").textContent = "pair " + pairs.position + " of " + pairs.total;
    for (const [id, target] of [["pair-prev", pairs.prev], ["pair-next", pairs.next]]) {
      if (target) { $(id).href = target.href; $(id).title += ": " + target.path; }
      else $(id).setAttribute("aria-disabled", "true");
    }
  }

  // ---- the keys, listed on "?" (or a click on "keys") -------------------------------------
  const keys = document.querySelector(".keys");
  const help = el("div", "keys-help");
  help.hidden = true;
  for (const line of keys.title.split(" · ")) help.appendChild(el("div")).textContent = line;
  keys.after(help);
  const toggleHelp = () => { help.hidden = !help.hidden; };
  keys.addEventListener("click", toggleHelp);

  // ---- wiring ----------------------------------------------------------------------------
  document.querySelectorAll("[data-view]").forEach((b) => b.addEventListener("click", () => setView(b.dataset.view)));
  document.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => setZoom(b.dataset.zoom)));
  $("zoom-in").addEventListener("click", () => zoomBy(STEP));
  $("zoom-out").addEventListener("click", () => zoomBy(1 / STEP));
  $("zoom-hunk").addEventListener("click", zoomToHunk);
  $("highlight").addEventListener("change", (e) => setHighlight(e.target.checked));
  $("prev").addEventListener("click", () => step(-1));
  $("next").addEventListener("click", () => step(1));
  scroller.addEventListener("scroll", () => { applyPan(); updateViewport(); }, { passive: true });
  window.addEventListener("resize", layout);
  window.addEventListener("hashchange", fromFragment);
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || (e.target.tagName === "INPUT" && e.target.type !== "checkbox")) return;
    const key = e.key;
    if (key === "n" || key === "j") step(1);
    else if (key === "p" || key === "k") step(-1);
    else if (key === "h") setHighlight(!$("highlight").checked);
    else if (key === "f") setZoom("fit");
    else if (key === "o") setZoom("1");
    else if (key === "z") zoomToHunk();
    else if (key === "?") toggleHelp();
    else if (key === "c") columnView.hidden ? showColumn(state.current) : hideColumn();
    else if (key === "Escape" && !columnView.hidden) hideColumn();
    else if (key === "Escape" && !help.hidden) toggleHelp();
    else if (key === "+" || key === "=") zoomBy(STEP);
    else if (key === "-" || key === "_") zoomBy(1 / STEP);
    else if (key >= "1" && key <= "6") setView(VIEWS[parseInt(key, 10) - 1]);
    else if (pairs && pairLinks[key] && $(pairLinks[key]).href) location.href = $(pairLinks[key]).href;
    else return;
    e.preventDefault();
  });

  buildColumn("a");
  buildColumn("b");
  buildGutter();
  buildList();
  buildMinimap();
  setSwipe(0.5);
  setHighlight(true);
  setZoom("fit");
  setView(data.initial_view || "aligned");
  mark(-1);
  fromFragment();
  body.dataset.ready = "true";
})();
