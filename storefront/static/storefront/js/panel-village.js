// Finding a village replaces only the village list: a full submit would lose the chosen
// photo (browsers never refill a file input). Without JavaScript the button still submits.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-village-search]");
  if (!button) return;
  const field = button.closest(".village-field");
  const query = field.querySelector("#village_q").value;
  const current = field.querySelector("#village");
  const url = new URL(button.dataset.villageSearch, location.href);
  url.searchParams.set("q", query);
  if (current && current.value) url.searchParams.set("current", current.value);
  event.preventDefault();
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    field.querySelector(".village-options").innerHTML = await response.text();
    const select = field.querySelector("#village");
    if (select) select.focus();
  } catch (error) {
    button.removeAttribute("data-village-search");
    button.click();
  }
});
