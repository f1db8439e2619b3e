// What both pages share: reading the store (relative URLs only), building elements safely, years.
"use strict";

const AR = (() => {
  const params = new URLSearchParams(window.location.search);
  const cache = new Map();
  const YEAR = /^[0-9]{4}-[0-9]{2}$/;
  const CODE = /^[A-Z][0-9]{8}$/;

  // The site sits in public/site/; everything it reads is a sibling of that folder.
  function getJSON(url) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then((response) => {
        if (!response.ok) throw new Error(`could not read ${url} (HTTP ${response.status})`);
        return response.json();
      }));
    }
    return cache.get(url);
  }

  async function releases() {
    const doc = await getJSON("../releases.json");
    const entries = doc && doc.years ? doc.years : {};
    const years = Object.keys(entries).filter((y) => YEAR.test(y)).sort();
    const preview = years.filter((y) => entries[y] && entries[y].preview);
    const latest = YEAR.test(doc.latest || "") ? doc.latest : years[years.length - 1] || null;
    return { years, latest, preview };
  }

  // The released years and the one asked for (?year=), else the latest; null when none is released.
  async function chooseYear() {
    const released = await releases();
    if (!released.years.length) {
      fail("No year has been released yet.");
      return null;
    }
    const asked = params.get("year");
    return { ...released, year: asked ? asked : released.latest };
  }

  const yearIndex = (year) => getJSON(`../${year}/json/index.json`);

  // Text goes in as text nodes, never as HTML: names with & and apostrophes stay as they are.
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "hidden") node.hidden = true;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Unhide an element; with children, replace what it held.
  function show(id, ...children) {
    const node = document.getElementById(id);
    if (children.length) {
      node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
    }
    node.hidden = false;
    return node;
  }

  function fail(message) {
    show("message", el("p", {}, message));
    document.getElementById("lede").textContent = "";
  }

  function yearNav(years, current, hrefFor) {
    const items = years.map((year) =>
      el("li", {}, el("a", { href: hrefFor(year), "aria-current": year === current && "page" }, year)));
    show("years", el("ul", {}, items));
  }

  function period(doc) {
    const day = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB",
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    return doc && doc.period ? `${day(doc.period.from)} to ${day(doc.period.to)}` : "";
  }

  const count = (n) => (typeof n === "number" && Number.isFinite(n) ? n.toLocaleString("en-GB") : "none");
  // "1 compliance outcome", "2 compliance outcomes", "0 … outcomes".
  const counted = (n, one, many) => `${count(n)} ${n === 1 ? one : many}`;
  const percent = (figure) =>
    figure && typeof figure.percent === "number" ? `${figure.percent}%` : null;
  const plural = (type) => (/y$/.test(type) ? `${type.slice(0, -1)}ies` : `${type}s`);
  const methodNote = (method) => method === "pooled"
    ? "Averages of similar authorities pool their counts (sum of numerators over sum of denominators)."
    : "Averages of similar authorities are the mean of their rates.";

  return {
    params, getJSON, releases, chooseYear, yearIndex, el, show, fail, yearNav, period, count, counted, percent, plural, methodNote,
    isYear: (value) => YEAR.test(value || ""),
    isCode: (value) => CODE.test(value || ""),
  };
})();
