// The fair door's camera scanner: reads a ticket's QR code (the code only) and submits it.
// Without JavaScript or a camera the page works as before: type the code.
(function () {
  "use strict";
  var button = document.querySelector("[data-scan]");
  var form = document.querySelector(".checkin-form");
  if (!button || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var input = form.querySelector("input[name=code]");
  var status = document.querySelector("[data-scan-status]");
  var stream = null;
  var video = null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var detector = null;

  function say(text) { if (status) { status.textContent = text; } }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    if (video) { video.remove(); video = null; }
    button.textContent = button.getAttribute("data-label-start");
  }

  function found(text) {
    stop();
    input.value = text;
    // At a booth the result is chosen after the scan; at the door the scan is the whole check-in.
    if (form.hasAttribute("data-scan-fill-only")) { input.focus(); say(""); return; }
    form.submit();
  }

  function tick() {
    if (!stream || !video) { return; }
    if (video.readyState >= 2) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      if (detector) {
        detector.detect(canvas).then(function (codes) {
          if (codes.length) { found(codes[0].rawValue); } else { requestAnimationFrame(tick); }
        }).catch(function () { detector = null; requestAnimationFrame(tick); });
        return;
      }
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) { found(code.data); return; }
    }
    requestAnimationFrame(tick);
  }

  function loadReader(then) {
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); then(); return; } catch (e) { detector = null; }
    }
    if (window.jsQR) { then(); return; }
    var script = document.createElement("script");
    script.src = button.getAttribute("data-reader");
    script.onload = then;
    script.onerror = function () { say(button.getAttribute("data-msg-error")); };
    document.head.appendChild(script);
  }

  function start() {
    say(button.getAttribute("data-msg-starting"));
    loadReader(function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s;
        video = document.createElement("video");
        video.className = "scan-video";
        video.setAttribute("playsinline", "");
        video.muted = true;
        video.srcObject = s;
        button.after(video);
        video.play();
        button.textContent = button.getAttribute("data-label-stop");
        say(button.getAttribute("data-msg-aim"));
        requestAnimationFrame(tick);
      }).catch(function () { say(button.getAttribute("data-msg-denied")); });
    });
  }

  button.hidden = false;
  button.addEventListener("click", function () { if (stream) { stop(); say(""); } else { start(); } });
})();
