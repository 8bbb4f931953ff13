"use strict";
// Django's autocomplete fields (Select2) leave their combobox and search box without a name:
// label each with the field's own <label>, and again whenever Select2 redraws them.
{
  const nameOf = (select) => {
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
  };

  const label = (select) => {
    const container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) {
      return;
    }
    const name = nameOf(select);
    const named = ".select2-selection, .select2-selection__rendered[role=textbox], .select2-search__field";
    for (const node of container.querySelectorAll(named)) {
      if (node.getAttribute("aria-label") !== name) {
        node.setAttribute("aria-label", name);
        node.removeAttribute("aria-labelledby"); // it points at the chosen value, empty when none is
      }
    }
  };

  const labelAll = () => document.querySelectorAll("select.admin-autocomplete").forEach(label);
  new MutationObserver(labelAll).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", labelAll);
}
