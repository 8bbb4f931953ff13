// The admin's "Add article" page: while the date field is empty, show the date of a pasted
// " date YYYY-MM-DD " header in it. The server does the same (and more spellings) on Preview.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("id_text");
  const date = document.getElementById("id_date");
  if (!text || !date) return;
  const header = /^\s*date\s*:?\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?=\s|$)/i;
  text.addEventListener("input", () => {
    const found = header.exec(text.value);
    if (!found || date.value) return;
    date.value = `${found[1]}-${found[2].padStart(2, "0")}-${found[3].padStart(2, "0")}`;
  });
});
