// The query page: lists the stored queries, binds their parameters on the server (POST /bind, never by
// pasting text here), and runs the editor's SPARQL through POST /query, which the page server passes to Oxigraph.
"use strict";

const list = document.getElementById("query-list");
const editor = document.getElementById("editor");
const form = document.getElementById("params");
const statusLine = document.getElementById("status");
const results = document.getElementById("results");
let chosen = null;

function setStatus(text, isError) {
  statusLine.textContent = text;
  statusLine.className = isError ? "error" : "";
}

async function loadQueries() {
  const answer = await fetch("queries.json");
  const queries = await answer.json();
  for (const query of queries) {
    const item = document.createElement("li");
    item.dataset.name = query.name;
    item.textContent = query.name;
    const title = document.createElement("small");
    title.textContent = query.title;
    item.appendChild(title);
    item.addEventListener("click", () => choose(query, item));
    list.appendChild(item);
  }
}

function choose(query, item) {
  chosen = query;
  for (const other of list.children) other.classList.toggle("chosen", other === item);
  document.getElementById("query-title").textContent = query.title;
  document.getElementById("query-question").textContent = query.question;
  form.replaceChildren();
  for (const parameter of query.parameters) {
    const label = document.createElement("label");
    label.textContent = parameter.name + (parameter.required ? " " : " (optional) ");
    const input = document.createElement("input");
    input.name = parameter.name;
    input.title = parameter.description;
    input.value = query.example[parameter.name] || "";
    input.addEventListener("change", bind);
    label.appendChild(input);
    form.appendChild(label);
  }
  results.replaceChildren();
  setStatus("");
  return bind();
}

async function bind() {
  if (!chosen) return;
  const params = {};
  for (const input of form.querySelectorAll("input")) params[input.name] = input.value;
  const answer = await fetch("bind", {method: "POST", headers: {"Content-Type": "application/json"},
                                      body: JSON.stringify({name: chosen.name, params})});
  const body = await answer.json();
  if (answer.ok) {
    editor.value = body.text;
    setStatus("");
  } else {
    editor.value = chosen.text;
    setStatus(body.error, true);
  }
}

function cell(binding) {
  const td = document.createElement("td");
  if (binding) td.textContent = binding.value;
  return td;
}

async function run() {
  setStatus("running ...");
  results.replaceChildren();
  const started = performance.now();
  const answer = await fetch("query", {method: "POST", body: editor.value, headers: {
    "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}});
  if (!answer.ok) {
    setStatus("error " + answer.status + ": " + await answer.text(), true);
    return;
  }
  const data = await answer.json();
  if ("boolean" in data) {
    setStatus("answer: " + data.boolean);
    return;
  }
  const table = document.createElement("table");
  table.id = "result-table";
  const head = table.createTHead().insertRow();
  for (const column of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = column;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of data.results.bindings) {
    const tr = body.insertRow();
    for (const column of data.head.vars) tr.appendChild(cell(row[column]));
  }
  results.appendChild(table);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  setStatus(data.results.bindings.length + " rows in " + seconds + " s");
}

document.getElementById("run").addEventListener("click", () => run().catch(e => setStatus(String(e), true)));
loadQueries().catch(e => setStatus("cannot list the stored queries: " + e, true));
