// Budget allocation questions: a running total as the resident types, in a live region.
// Progressive enhancement only: without this script the server checks the total and says
// "Your allocations add up to £X; they must add up to £Y".
const money = (n) => "£" + Math.round(n).toLocaleString("en-GB");

for (const box of document.querySelectorAll("[data-budget-target]")) {
  const target = Number(box.dataset.budgetTarget);
  const inputs = [...box.querySelectorAll("[data-budget-item]")];
  const status = box.querySelector("[data-budget-status]");
  const starts = inputs.map((input) => input.value);
  const amount = (input, i) => {
    const text = input.value.replace(/[£,\s]/g, "");
    if (text === "") return box.dataset.budgetMode === "adjust" ? Number((starts[i] || "0").replace(/,/g, "")) : 0;
    return /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  };
  let timer;
  const update = (now) => {
    const values = inputs.map(amount);
    if (values.some(Number.isNaN)) {
      status.textContent = "Enter each amount as a whole number of pounds.";
    } else {
      const total = values.reduce((a, b) => a + b, 0);
      const left = target - total;
      status.textContent = left === 0 ? `You have allocated ${money(total)} of ${money(target)}. The balance is zero.`
        : left > 0 ? `You have allocated ${money(total)} of ${money(target)}. ${money(left)} left to allocate.`
        : `You have allocated ${money(total)} of ${money(target)}. That is ${money(-left)} too much.`;
    }
    status.hidden = false;
  };
  // Announce after a pause in typing, not on every key press.
  box.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 500); });
  update();
}
