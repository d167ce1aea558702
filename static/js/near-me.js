// "Near me" on the job list: the phone's location, only when the reader taps the button and the
// browser's permission is given. Without scripts (or without geolocation) the button stays hidden
// and the district choice above it works as before. The point is rounded to about 100 m: it ends
// up in the address of the results page, which people share.
(function () {
  var button = document.querySelector("[data-near-me]");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.querySelector("[data-near-me-status]");
  var select = document.getElementById("f-near");
  var form = button.form;
  button.hidden = false;
  function say(text) { if (status) status.textContent = text; }
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude, lng = position.coords.longitude;
      // The same box as the server's (portal/filters.py): outside Xiangtan the point filters nothing.
      if (lat < 27.3 || lat > 28.1 || lng < 111.9 || lng > 113.15) {
        button.disabled = false;
        say(button.getAttribute("data-outside"));
        return;
      }
      var option = document.createElement("option");
      option.value = lat.toFixed(3) + "," + lng.toFixed(3);
      option.textContent = button.textContent;
      option.selected = true;
      select.appendChild(option);
      var sort = document.getElementById("f-sort");
      if (sort) sort.value = "near";
      form.submit();
    }, function () {
      button.disabled = false;
      say(button.getAttribute("data-denied"));
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
})();
