// One authority's page: its figures for a year against similar authorities, over the years, its letter.
"use strict";

const { el, show, count, counted } = AR;
const MARK = "#b3261e";
const DOTS = "#8a959b";

// Each measure as the letters name it; `none` is what stands where the figure is null.
const RATES = [
  {
    key: "uphold_rate", label: "Complaints upheld", axis: "Uphold rate (%)", short: "no investigations",
    none: "No detailed investigations, so no uphold rate",
    basis: (f) => `${count(f.numerator)} upheld of ${counted(f.denominator, "detailed investigation", "detailed investigations")}`,
  },
  {
    key: "compliance_rate", label: "Compliance with recommendations", axis: "Compliance rate (%)",
    short: "none due", none: "No recommendations were due for compliance in this period",
    basis: (f) => `${count(f.numerator)} complied of ${counted(f.denominator, "compliance outcome", "compliance outcomes")}`,
  },
  {
    key: "satisfactory_remedy_rate", label: "Satisfactory remedy by the authority",
    axis: "Satisfactory remedy rate (%)", short: "none upheld",
    none: "No upheld decisions, so no satisfactory remedy rate",
    basis: (f) => `${count(f.numerator)} remedied before reaching the ombudsman of ${counted(f.denominator, "upheld decision", "upheld decisions")}`,
  },
];
const PER_100K = "Upheld decisions per 100,000 residents";
const GROUPS = ["Not for us", "Assessed and closed", "Investigated"];
// Years released before the JSON carried decisions_by_group: the same mapping (contract section 7).
const GROUP_OF = {
  "Incomplete/invalid": "Not for us",
  "Advice given": "Not for us",
  "Referred back for local resolution": "Not for us",
  "Closed after initial enquiries": "Assessed and closed",
  "Upheld": "Investigated",
  "Not upheld": "Investigated",
};
const GROUP_MEANING = {  // the same words as the letter's note: transforms/vocab.py DECISION_GROUP_MEANINGS
  "Not for us": "complaints referred back because the authority had not had the chance to deal with them first, incomplete or invalid complaints, and enquiries where we gave advice.",
  "Assessed and closed": "complaints we closed after initial enquiries, for example because the law did not allow us to investigate or an investigation would not have been a good use of public funds.",
  "Investigated": "complaints we investigated in detail, whether we upheld them or not.",
};

(async () => {
  try {
    await main();
  } catch (error) {
    AR.fail(`The figures could not be loaded: ${error.message}`);
  }
})();

async function main() {
  const code = AR.params.get("code");
  if (!AR.isCode(code)) {
    AR.fail("No authority is chosen: pick one from the list of all authorities.");
    return;
  }
  const chosen = await AR.chooseYear();
  if (!chosen) return;
  const { years, latest, preview, year } = chosen;
  const docs = await Promise.all(years.map(AR.yearIndex));
  const found = years.map((y, i) => ({
    year: y,
    doc: docs[i],
    record: (docs[i].authorities || []).find((a) => a.authority_code === code) || null,
  }));
  const held = found.filter((f) => f.record);
  const current = found.find((f) => f.year === year) || null;
  const record = current ? current.record : null;
  const name = (record || (held.length ? held[held.length - 1].record : null) || {}).authority_name || code;

  document.title = `${name}: annual review figures`;
  document.getElementById("title").textContent = name;
  const hrefFor = (y) => `council.html?code=${code}${y === latest ? "" : `&year=${y}`}`;
  const navYears = held.map((f) => f.year);
  if (current && !record) navYears.push(year);
  AR.yearNav(navYears.sort(), year, hrefFor);
  document.getElementById("back").setAttribute("href", year === latest ? "index.html" : `index.html?year=${year}`);

  if (!current) {
    AR.fail(`No figures have been released for ${AR.isYear(year) ? year : "that year"}.`);
  } else if (!record) {
    document.getElementById("lede").textContent = `${AR.period(current.doc)}.`;
    AR.fail(held.length
      ? `${name} has no figures for ${year}. The years above have figures.`
      : `No released year has figures for the authority ${code}.`);
  } else {
    const staged = preview.includes(year) ? " Preview: this year is staged, not yet released." : "";
    document.getElementById("lede").textContent =
      `${record.authority_type}, ${code}. Figures for ${year}, ${AR.period(current.doc)}.${staged}`;
    document.getElementById("method").textContent = AR.methodNote(current.doc.peer_method);
    const previous = previousYear(record, year, found);
    show("rates", ratesTable(record, year, previous));
    show("dealt", dealtWith(record, year));
    show("among", amongPeers(record, year, current.doc.authorities || []));
    show("letter", letterLinks(record, year));
    show("figures");
  }
  if (held.length) {
    show("history", history(held, name));
    show("history-section");
    document.getElementById("csv").addEventListener("click", () => downloadCsv(code, held));
  }
}

const rateText = (figure, measure) => AR.percent(figure) || measure.none;
const per100k = (record) => (record && record.upheld_per_100k) || null;
const shown100k = (figure) => (figure && typeof figure.display === "string" ? figure.display : null);

// The same figures of the year before, as released: the JSON's own previous_year where it has one.
function previousYear(record, year, found) {
  if (record.previous_year !== undefined) return record.previous_year;
  const label = `${Number(year.slice(0, 4)) - 1}-${year.slice(2, 4)}`;
  const before = found.find((f) => f.year === label);
  if (!before || !before.record) return null;
  const r = before.record;
  const shown = (key) => ({ percent: r[key] ? r[key].percent : null });
  return {
    year: label,
    uphold_rate: shown("uphold_rate"),
    compliance_rate: shown("compliance_rate"),
    satisfactory_remedy_rate: shown("satisfactory_remedy_rate"),
    upheld_per_100k: per100k(r) ? { display: per100k(r).display } : null,
  };
}

function ratesTable(record, year, previous) {
  const peers = record.peer_group ? `Average of ${AR.plural(record.authority_type)}` : "Average of similar authorities";
  const noPeers = `None: ${AR.plural(record.authority_type).toLowerCase()} have no group of similar authorities`;
  const head = ["Measure", record.authority_name, peers, "Based on"];
  if (previous) head.push(`${previous.year} (previous year)`);
  const rows = RATES.map((m) => {
    const figure = record[m.key];
    const average = figure.peer_average ? (AR.percent(figure.peer_average) || "No average") : noPeers;
    const cells = [
      el("th", { scope: "row" }, m.label),
      el("td", { class: "num" }, rateText(figure, m)),
      el("td", { class: "num" }, average),
      el("td", {}, m.basis(figure)),
    ];
    if (previous) cells.push(el("td", { class: "num" }, AR.percent(previous[m.key]) || m.short));
    return el("tr", {}, cells);
  });
  const rate = per100k(record);
  const cells = [el("th", { scope: "row" }, PER_100K)];
  if (rate) {
    cells.push(
      el("td", { class: "num" }, shown100k(rate) || "No figure"),
      el("td", { class: "num" }, rate.peer_average ? shown100k(rate.peer_average) || "No average" : noPeers),
      el("td", {}, `${counted(rate.upheld, "upheld decision", "upheld decisions")}; ${count(rate.residents)} residents` +
        (rate.source ? ` (${rate.source})` : "")),
    );
  } else {
    cells.push(el("td", { colspan: 3 }, "No population figure for this year, so no rate per 100,000 residents"));
  }
  if (previous) {
    const before = previous.upheld_per_100k;
    cells.push(el("td", { class: "num" }, shown100k(before) || "no population"));
  }
  rows.push(el("tr", {}, cells));
  return el("table", {},
    el("caption", {}, `${record.authority_name}, ${year}: the three rates and upheld decisions per 100,000 residents`),
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows));
}

function groups(record) {
  if (record.decisions_by_group) return GROUPS.map((g) => ({ group: g, decisions: record.decisions_by_group[g] || 0 }));
  const sums = Object.fromEntries(GROUPS.map((g) => [g, 0]));
  for (const [decision, n] of Object.entries(record.decisions_by_outcome || {})) {
    if (GROUP_OF[decision]) sums[GROUP_OF[decision]] += n;
  }
  return GROUPS.map((g) => ({ group: g, decisions: sums[g] }));
}

function dealtWith(record, year) {
  if (!record.decisions_made) {
    return el("p", {}, `No complaints about ${record.authority_name} were decided in ${year}.`);
  }
  const data = groups(record);
  const caption = `Complaints dealt with in ${year}: ${counted(record.decisions_made, "decision", "decisions")}`;
  const chart = Plot.plot({
    width: 520, height: 150, marginLeft: 150, marginRight: 40,
    x: { label: "Decisions", grid: true, tickFormat: whole },
    y: { label: null, domain: GROUPS },
    marks: [
      Plot.barX(data, { x: "decisions", y: "group", fill: "#1d5c8d" }),
      Plot.text(data, { x: "decisions", y: "group", text: (d) => count(d.decisions), dx: 6, textAnchor: "start" }),
      Plot.ruleX([0]),
    ],
  });
  const summary = data.map((d) => `${d.group} ${count(d.decisions)}`).join(", ");
  const table = el("table", {},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ["Group", "Decisions", "What it covers"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {},
      data.map((d) => el("tr", {}, el("th", { scope: "row" }, d.group), el("td", { class: "num" }, count(d.decisions)),
        el("td", {}, GROUP_MEANING[d.group]))),
      el("tr", {}, el("th", { scope: "row" }, "All decisions"), el("td", { class: "num" }, count(record.decisions_made)), el("td", {}, ""))));
  return el("div", { class: "pair" }, figure(caption, `Bar chart: ${summary}.`, chart), table);
}

// Where the authority sits among its type: every authority a dot, never a rank.
function amongPeers(record, year, authorities) {
  const type = record.authority_type;
  if (!record.peer_group) {
    return el("p", {}, `${AR.plural(type)} have no group of similar authorities, so there is no average and no distribution to show.`);
  }
  const peers = authorities.filter((a) => a.authority_type === type);
  const measures = [
    ...RATES.map((m) => ({
      label: m.label, axis: m.axis, domain: [0, 100], none: m.none, short: m.short,
      value: (a) => (a[m.key] && typeof a[m.key].rate === "number" ? a[m.key].rate * 100 : null),
      shown: (a) => AR.percent(a[m.key]),
      average: record[m.key].peer_average
        ? { value: record[m.key].peer_average.rate * 100, shown: AR.percent(record[m.key].peer_average) } : null,
    })),
    {
      label: PER_100K, axis: "Upheld decisions per 100,000 residents", domain: undefined,
      none: "No population figure for this year", short: "no population",
      value: (a) => (per100k(a) && typeof per100k(a).rate === "number" ? per100k(a).rate : null),
      shown: (a) => shown100k(per100k(a)),
      average: per100k(record) && per100k(record).peer_average && typeof per100k(record).peer_average.rate === "number"
        ? { value: per100k(record).peer_average.rate, shown: shown100k(per100k(record).peer_average) } : null,
    },
  ];
  const intro = el("p", {}, `There were ${count(peers.length)} ${AR.plural(type)} in ${year}: `,
    "each chart counts them by their figure, the red line marks this authority and the dashed line the average. ",
    "The table beside each chart gives the figures; there is no ranking.");
  return [intro, ...measures.map((m) => distribution(m, record, peers, year))];
}

function distribution(measure, record, peers, year) {
  const type = AR.plural(record.authority_type);
  const caption = `${measure.label}: ${record.authority_name} among ${type}, ${year}`;
  const values = peers.filter((a) => measure.value(a) !== null)
    .map((a) => ({ x: measure.value(a), self: a.authority_code === record.authority_code }));
  if (!values.length) {
    return el("div", {}, el("h3", {}, measure.label), el("p", {}, `${measure.none} for any of the ${type}.`));
  }
  const own = measure.value(record);
  const lowest = peers.filter((a) => measure.value(a) !== null).reduce((m, a) => (measure.value(a) < measure.value(m) ? a : m));
  const highest = peers.filter((a) => measure.value(a) !== null).reduce((m, a) => (measure.value(a) > measure.value(m) ? a : m));
  const chart = distributionChart(values, measure, own, measure.shown(record));
  const ownText = own !== null ? measure.shown(record) : `${measure.short}: not marked`;
  const rows = [
    [record.authority_name, ownText],
    [`Average of ${type}`, measure.average ? measure.average.shown : "No average"],
    ["Lowest", measure.shown(lowest)],
    ["Highest", measure.shown(highest)],
    [`${type} with a figure`, count(values.length)],
  ];
  const table = el("table", {},
    el("caption", {}, `${measure.label}, ${type}, ${year}`),
    el("tbody", {}, rows.map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", { class: "num" }, v)))));
  const summary = `Histogram of ${count(values.length)} ${type}: this authority ${ownText}; ` +
    `average ${measure.average ? measure.average.shown : "none"}; lowest ${measure.shown(lowest)}, highest ${measure.shown(highest)}.`;
  return el("div", {}, el("h3", {}, measure.label), el("div", { class: "pair" }, figure(caption, summary, chart), table));
}

// A histogram of the type's authorities, the authority a red line, the average a dashed one.
// Rates of small counts pile up on 0, 50 and 100%: bars show a pile of 145 as plainly as one of 3.
function distributionChart(values, measure, own, ownShown) {
  const xs = values.map((v) => v.x);
  const highest = Math.max(...xs, own || 0, measure.average ? measure.average.value : 0);
  const step = measure.domain ? 5 : niceStep(highest / 20);
  const top = measure.domain ? measure.domain[1] : Math.max(step, Math.ceil(highest / step) * step);
  const thresholds = d3.range(0, top + step / 2, step); // [0, 5, ..., 100]
  const anchor = (x) => (x > top * 0.75 ? "end" : x < top * 0.25 ? "start" : "middle");
  const marks = [
    // A figure on the upper edge (100%) belongs to the last bin, as a histogram's reader expects.
    Plot.rectY(values, Plot.binX({ y: "count" }, {
      x: (d) => Math.min(d.x, top - step / 2), thresholds, fill: DOTS, inset: 0.5,
    })),
    Plot.ruleY([0]),
  ];
  if (measure.average) {
    const x = measure.average.value;
    marks.push(Plot.ruleX([x], { stroke: "#1b1b1b", strokeDasharray: "5,3", strokeWidth: 1.5 }),
      Plot.text([x], { x: (d) => d, frameAnchor: "top", dy: -8, textAnchor: anchor(x), text: () => `average ${measure.average.shown}` }));
  }
  if (own !== null) {
    marks.push(Plot.ruleX([own], { stroke: MARK, strokeWidth: 2.5 }),
      Plot.text([own], {
        x: (d) => d, frameAnchor: "top", dy: -24, textAnchor: anchor(own), fill: MARK, fontWeight: "bold",
        text: () => `this authority ${ownShown}`,
      }));
  }
  return Plot.plot({
    width: 560, height: 220, marginTop: 40, marginBottom: 40, marginLeft: 44, marginRight: 24,
    x: { label: measure.axis, domain: [0, top], labelAnchor: "center", labelArrow: "none" },
    y: { label: "Authorities", grid: true, labelArrow: "none", tickFormat: whole },
    marks,
  });
}

// Counts have no halves: fractional ticks keep their mark but lose their label.
const whole = (d) => (Number.isInteger(d) ? count(d) : "");

function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) || power * 10;
}

function letterLinks(record, year) {
  if (!record.letter) {
    return el("p", {}, `There is no letter to ${record.authority_name} for ${year}.`);
  }
  const links = [];
  if (record.letter.html) links.push(el("li", {}, el("a", { href: `../${year}/${record.letter.html}` }, `Letter to ${record.authority_name}, ${year} (web page)`)));
  if (record.letter.pdf) links.push(el("li", {}, el("a", { href: `../${year}/${record.letter.pdf}`, type: "application/pdf" }, `Letter to ${record.authority_name}, ${year} (PDF)`)));
  return el("ul", {}, links);
}

const HISTORY = [
  ["Complaints received", (r) => count(r.complaints_received)],
  ["Decisions made", (r) => count(r.decisions_made)],
  ...RATES.map((m) => [m.label, (r) => AR.percent(r[m.key]) || m.short]),
  [PER_100K, (r) => shown100k(per100k(r)) || "no population"],
];

function history(held, name) {
  const table = el("table", {},
    el("caption", {}, `${name}: figures of every released year`),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Year"), HISTORY.map(([h]) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, held.map((f) => el("tr", {}, el("th", { scope: "row", class: "year" }, f.year),
      HISTORY.map(([, cell]) => el("td", { class: "num" }, cell(f.record)))))));
  if (held.length < 2) {
    return [el("p", { class: "note" }, "One released year so far: a chart of the rates over the years appears from the second."), table];
  }
  const points = held.flatMap((f) => RATES.map((m) => ({ year: f.year, measure: m.label, value: f.record[m.key].percent })))
    .filter((p) => typeof p.value === "number");
  const chart = Plot.plot({
    width: 560, height: 240, marginRight: 20,
    x: { type: "point", label: "Year", domain: held.map((f) => f.year), padding: 0.3 },
    y: { label: "Per cent", domain: [0, 100], grid: true },
    color: { legend: true, domain: RATES.map((m) => m.label), range: ["#1d5c8d", "#b3261e", "#4b6f2a"] },
    marks: [
      Plot.line(points, { x: "year", y: "value", stroke: "measure", z: "measure" }),
      Plot.dot(points, { x: "year", y: "value", fill: "measure", r: 3.5 }),
    ],
  });
  const summary = `Line chart of the three rates over ${held.length} years; the table gives every figure.`;
  return el("div", { class: "pair" }, figure(`${name}: the three rates over the years`, summary, chart), table);
}

// The chart is a picture for sighted readers; its label and the table beside it carry the figures.
function figure(caption, summary, chart) {
  chart.setAttribute("aria-hidden", "true");
  return el("figure", {}, el("figcaption", {}, caption), el("div", { class: "chart", role: "img", "aria-label": summary }, chart));
}

function downloadCsv(code, held) {
  const header = [
    "year", "authority_code", "authority_name", "authority_type", "complaints_received", "decisions_made",
    "not_for_us", "assessed_and_closed", "investigated", "investigations", "upheld",
    ...RATES.flatMap((m) => [`${m.key}`, `${m.key}_percent`, `peer_${m.key}_percent`]),
    "compliance_outcomes", "complied", "satisfactory_remedies",
    "residents", "upheld_per_100k", "upheld_per_100k_display", "peer_upheld_per_100k_display", "peer_method",
  ];
  const rows = held.map(({ year, doc, record: r }) => {
    const g = Object.fromEntries(groups(r).map((d) => [d.group, d.decisions]));
    const rate = per100k(r);
    return [
      year, r.authority_code, r.authority_name, r.authority_type, r.complaints_received, r.decisions_made,
      g["Not for us"], g["Assessed and closed"], g.Investigated, r.investigations, r.upheld,
      ...RATES.flatMap((m) => [r[m.key].rate, r[m.key].percent, r[m.key].peer_average ? r[m.key].peer_average.percent : null]),
      r.compliance_outcomes, r.complied, r.satisfactory_remedies,
      rate ? rate.residents : null, rate ? rate.rate : null, rate ? rate.display : null,
      rate && rate.peer_average ? rate.peer_average.display : null, doc.peer_method,
    ];
  });
  const cells = rows.map((row) => row.map((value, i) => (TEXT_COLUMNS.has(header[i]) ? textCell(value) : csvCell(value))));
  const text = [header.map(csvCell), ...cells].map((row) => row.join(",")).join("\r\n") + "\r\n";
  const link = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" })),
    download: `${code}-annual-review-figures.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}

// The columns whose cells are text from the exports (names, codes, types) or ours; the others are figures,
// where a minus sign is a number's.
const TEXT_COLUMNS = new Set(["year", "authority_code", "authority_name", "authority_type", "peer_method"]);

// A spreadsheet reads a cell starting with = + - @ tab or CR as a formula (OWASP, "CSV Injection"): a leading
// quote shows it as written. Quoted whole, so no locale's separator (, or ;) splits it into another cell.
function textCell(value) {
  if (value === null || value === undefined) return "";
  const text = /^[=+\-@\t\r]/.test(String(value)) ? `'${value}` : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

function csvCell(value) {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
