// For a positive phenomenon the proposal question asks how the good practice could be spread.
(function () {
  var label = document.getElementById("proposed_actions-label");
  if (!label) return;
  function update() {
    var checked = document.querySelector('input[name="nature"]:checked');
    var positive = checked && checked.value === "positive";
    label.textContent = positive ? label.dataset.positive : label.dataset.negative;
  }
  document.querySelectorAll('input[name="nature"]').forEach(function (input) {
    input.addEventListener("change", update);
  });
  update();
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
