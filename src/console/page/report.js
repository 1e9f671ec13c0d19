// The web report form's enhancements (/report): the form works without this script; with it,
// the place can be tapped on the county map (drawn from the directory's own region areas,
// /site/regions.json: no tiles, nothing from the network) or taken from the phone's position,
// and photos are made smaller in the browser before they are sent, so a report goes through
// on a weak network. A plain script, loaded after county-map.js (pickMap).

/** The longest side of a photo as sent: enough to see a hazard, a fraction of a phone's original. */
const MAX_SIDE = 1600;
const QUALITY = 0.8;
const MAX_PHOTOS = 10;

const form = document.getElementById("report");
const words = JSON.parse(form?.dataset.strings ?? "{}");
function setPin(lat, lng) {
  document.getElementById("lat").value = lat;
  document.getElementById("lng").value = lng;
  document.getElementById("pin-status").textContent = words.pin;
}

/** A tap on the map marks the place and, on a town the form offers, chooses it. */
function picked(lat, lng, regionId) {
  setPin(lat, lng);
  const select = document.getElementById("region");
  if (regionId && [...select.options].some((o) => o.value === regionId)) select.value = regionId;
}

async function showMap() {
  const response = await fetch("/site/regions.json");
  if (!response.ok) return;
  const regions = await response.json();
  if (regions.length === 0) return;
  document.getElementById("map").replaceChildren(pickMap(regions, { lang: form.dataset.lang, onPick: picked }));
  document.getElementById("map-box").hidden = false;
}

function locate() {
  const status = document.getElementById("pin-status");
  if (!navigator.geolocation) {
    status.textContent = words.locateFailed;
    return;
  }
  status.textContent = words.locating;
  navigator.geolocation.getCurrentPosition(
    (p) => setPin(Number(p.coords.latitude.toFixed(6)), Number(p.coords.longitude.toFixed(6))),
    () => {
      status.textContent = words.locateFailed;
    },
    { enableHighAccuracy: true, timeout: 15000 },
  );
}

/** A photo made smaller as a JPEG, or the file as it was when the browser cannot read it. */
async function shrink(file) {
  try {
    const image = await createImageBitmap(file);
    const ratio = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * ratio);
    canvas.height = Math.round(image.height * ratio);
    canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", QUALITY));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], `${file.name.replace(/\.[^.]*$/, "")}.jpg`, { type: "image/jpeg" });
  } catch {
    return file;
  }
}

async function shrinkPhotos(input) {
  const status = document.getElementById("photos-status");
  const chosen = [...input.files];
  const files = await Promise.all(chosen.slice(0, MAX_PHOTOS).map(shrink));
  const list = new DataTransfer();
  for (const f of files) list.items.add(f);
  input.files = list.files;
  const kb = Math.round(files.reduce((sum, f) => sum + f.size, 0) / 1024);
  status.textContent = `${words.photos.replace("{count}", files.length).replace("{kb}", kb)}${chosen.length > MAX_PHOTOS ? ` ${words.tooMany}` : ""}`;
  input.dataset.ready = String(files.length);
}

function followKind() {
  const question = form.querySelector('input[name="kind"]:checked')?.value === "consultation";
  for (const part of form.querySelectorAll(".report-only")) part.hidden = question;
}

if (form) {
  showMap().catch(() => {});
  document.getElementById("locate").addEventListener("click", locate);
  const photos = document.getElementById("photos");
  photos.addEventListener("change", () => {
    photos.dataset.ready = "";
    shrinkPhotos(photos);
  });
  for (const radio of form.querySelectorAll('input[name="kind"]')) radio.addEventListener("change", followKind);
  followKind();
}
