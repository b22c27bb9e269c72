/* Answer boxes on the course website: keep what is typed in this browser, offer a download.
   The page works without this script (the box is then not kept between visits). */
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.lessons-answer-static").forEach((form) => {
    const box = form.querySelector("textarea");
    if (!box) return;
    const key = "lessons-answer:" + form.dataset.answer;
    let store = null;
    try { store = window.localStorage; box.value = store.getItem(key) || ""; } catch (e) { store = null; }
    const tools = document.createElement("p");
    tools.className = "la-tools";
    const status = document.createElement("small");
    const download = document.createElement("button");
    download.type = "button";
    download.textContent = "Download my answer";
    download.addEventListener("click", () => {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([box.value], { type: "text/plain" }));
      link.download = form.dataset.answer + ".txt";
      link.click();
      URL.revokeObjectURL(link.href);
    });
    status.textContent = store ? "Kept in this browser as you type." : "This browser does not keep it: download it.";
    box.addEventListener("input", () => { if (store) store.setItem(key, box.value); });
    tools.append(download, status);
    box.after(tools);
    const note = form.querySelector(".la-note");
    if (note) note.remove();
  });
});

/* The task forms of the static views (sourcing cards, ordering, weighing, claims; tools/website.py
   _fill_in): keep each field's value in this browser under its data-keep key. */
document.addEventListener("DOMContentLoaded", () => {
  let store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  if (!store) return;
  document.querySelectorAll("[data-keep]").forEach((field) => {
    const key = "lessons-field:" + field.dataset.keep;
    const saved = store.getItem(key);
    if (saved !== null) field.value = saved;
    const keep = () => store.setItem(key, field.value);
    field.addEventListener("input", keep);
    field.addEventListener("change", keep);
  });
});
