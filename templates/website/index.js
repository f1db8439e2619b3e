// The index: every authority of a year as a link, filtered as one types.
"use strict";

(async () => {
  const { el, show } = AR;
  try {
    const chosen = await AR.chooseYear();
    if (!chosen) return;
    const { years, latest, preview, year } = chosen;
    AR.yearNav(years, year, (y) => (y === latest ? "index.html" : `index.html?year=${y}`));
    if (!years.includes(year)) {
      AR.fail(`No figures have been released for ${AR.isYear(year) ? year : "that year"}. ` +
        "Choose one of the released years above.");
      return;
    }
    const doc = await AR.yearIndex(year);
    const authorities = (doc.authorities || []).slice()
      .sort((a, b) => a.authority_name.localeCompare(b.authority_name, "en-GB"));
    document.title = `Complaints about councils ${year}: annual review`;
    document.getElementById("title").textContent = `Complaints about councils, ${year}`;
    const staged = preview.includes(year) ? " Preview: this year is staged, not yet released." : "";
    document.getElementById("lede").textContent =
      `${AR.count(authorities.length)} authorities, ${AR.period(doc)}.${staged}`;
    document.getElementById("method").textContent = AR.methodNote(doc.peer_method);
    if (!authorities.length) {
      AR.fail(`No authority has figures for ${year}.`);
      return;
    }
    const suffix = year === latest ? "" : `&year=${year}`;
    const items = authorities.map((a) => {
      const item = el("li", {},
        el("a", { href: `council.html?code=${a.authority_code}${suffix}` }, a.authority_name),
        " ", el("span", { class: "type" }, `${a.authority_type}, ${a.authority_code}`));
      item.dataset.search = normalise(`${a.authority_name} ${a.authority_code}`);
      return item;
    });
    show("authorities", items);
    show("finder");
    const input = document.getElementById("search");
    const status = document.getElementById("count");
    const filter = () => {
      const terms = normalise(input.value).split(" ").filter(Boolean);
      let shown = 0;
      for (const item of items) {
        item.hidden = !terms.every((t) => item.dataset.search.includes(t));
        if (!item.hidden) shown += 1;
      }
      status.textContent = terms.length
        ? `${AR.count(shown)} of ${AR.count(items.length)} authorities match`
        : `${AR.count(items.length)} authorities`;
    };
    input.addEventListener("input", filter);
    filter();
  } catch (error) {
    AR.fail(`The figures could not be loaded: ${error.message}`);
  }
})();

// "King’s Lynn & West Norfolk" is found by "kings lynn and west".
function normalise(text) {
  return text.toLowerCase().replace(/&/g, " and ").replace(/['’‘]/g, "").replace(/\s+/g, " ").trim();
}
