// Sort a result table by a column when its heading is clicked (again: the other way round).
// Cells carry data-sort (numbers zero-padded by the server), so a plain string comparison orders them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.sort");
  if (!button) return;
  const table = button.closest("table");
  const column = Number(button.dataset.column);
  const order = button.dataset.order === "asc" ? "desc" : "asc";
  table.querySelectorAll("button.sort").forEach((b) => delete b.dataset.order);
  button.dataset.order = order;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const key = (row) => row.cells[column].dataset.sort || "";
  rows.sort((a, b) => (order === "asc" ? 1 : -1) * key(a).localeCompare(key(b), undefined, { numeric: true }));
  rows.forEach((row) => body.appendChild(row));
});
