// Map questions (app/maps): drop pins on a Leaflet map with a pointer or the keyboard, each with
// its own comment, listed under the map where they can be moved or removed. Without this script
// the page still works: the resident describes places in words, and pins posted earlier are
// listed as fields with a "Remove" tick box. Everything is served by the app; the map asks
// another server for tiles only when the council configures MAP_TILE_URL.
(function () {
  "use strict"
  if (!window.L) return

  // Is [lng, lat] inside a GeoJSON ring? (Ray casting; the server makes the real check.)
  function inRing (point, ring) {
    var inside = false
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0]; var yi = ring[i][1]; var xj = ring[j][0]; var yj = ring[j][1]
      if (((yi > point[1]) !== (yj > point[1])) &&
          (point[0] < (xj - xi) * (point[1] - yi) / (yj - yi) + xi)) inside = !inside
    }
    return inside
  }

  function inPolygon (point, rings) {
    if (!inRing(point, rings[0])) return false
    for (var k = 1; k < rings.length; k++) if (inRing(point, rings[k])) return false
    return true
  }

  function wardAt (boundaries, latlng) {
    var point = [latlng.lng, latlng.lat]
    var features = boundaries.features || []
    for (var f = 0; f < features.length; f++) {
      var geometry = features[f].geometry
      var polygons = geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates]
      for (var p = 0; p < polygons.length; p++) {
        if (inPolygon(point, polygons[p])) return features[f].properties.name || features[f].properties.slug
      }
    }
    return null
  }

  function el (tag, attrs, text) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]) })
    if (text) node.textContent = text
    return node
  }

  function setUp (root) {
    if (root.getAttribute("data-map-ready")) return
    root.setAttribute("data-map-ready", "true")
    var name = root.getAttribute("data-map-question")
    var settings = JSON.parse(document.querySelector('script[data-map-settings="' + name + '"]').textContent)
    var block = root.querySelector("[data-map-block]")
    var canvas = root.querySelector("[data-map-canvas]")
    var list = root.querySelector("[data-map-pin-list]")
    var heading = root.querySelector("[data-map-pins-heading]")
    var status = root.querySelector("[data-map-status]")
    block.hidden = false

    var map = L.map(canvas, { keyboard: true, zoomSnap: 0.25, attributionControl: Boolean(settings.tiles) })
    canvas.setAttribute("aria-label", "Map of the borough's wards. Arrow keys move the map; plus and minus zoom.")
    if (settings.tiles) {
      L.tileLayer(settings.tiles, { attribution: settings.attribution, maxZoom: 19 }).addTo(map)
    }
    var wards = L.geoJSON(settings.boundaries, {
      interactive: false,
      style: { color: "#0b0c0c", weight: 2, fillColor: "#1d70b8", fillOpacity: 0.06 },
      onEachFeature: function (feature, layer) {  // ward names, since there may be no map under them
        layer.bindTooltip(feature.properties.name || "", { permanent: true, direction: "center", className: "app-map-label" })
      }
    }).addTo(map)
    map.fitBounds(wards.getBounds())
    map.setMaxBounds(wards.getBounds().pad(0.5))

    function say (message) {
      status.textContent = ""
      window.setTimeout(function () { status.textContent = message }, 50)
    }

    function where (latlng) {
      var ward = wardAt(settings.boundaries, latlng)
      return ward ? "in " + ward : "outside the borough: move it inside the boundary or remove it"
    }

    function items () { return Array.prototype.slice.call(list.querySelectorAll("[data-map-pin]")) }

    // Names, labels and button texts follow each pin's place in the list.
    function renumber () {
      items().forEach(function (item, i) {
        var prefix = name + "-pin-" + i + "-"
        var number = i + 1
        item.querySelector("[data-pin-lat]").name = prefix + "lat"
        item.querySelector("[data-pin-lng]").name = prefix + "lng"
        var comment = item.querySelector("textarea")
        comment.name = prefix + "comment"
        comment.id = prefix + "comment"
        var label = item.querySelector("label.govuk-label[for]")
        label.setAttribute("for", prefix + "comment")
        label.textContent = "Comment for pin " + number
        item.querySelector("[data-pin-title]").textContent = "Pin " + number
        item.querySelector("[data-pin-where]").textContent = where(item.marker.getLatLng())
        item.querySelector("[data-pin-move]").innerHTML = "Move pin " + number + " to the centre of the map"
        item.querySelector("[data-pin-remove]").textContent = "Remove pin " + number
        item.marker.options.title = "Pin " + number
        var icon = item.marker.getElement && item.marker.getElement()
        if (icon) { icon.setAttribute("alt", "Pin " + number); icon.setAttribute("title", "Pin " + number) }
      })
      heading.hidden = items().length === 0
    }

    function setPosition (item, latlng) {
      item.querySelector("[data-pin-lat]").value = latlng.lat.toFixed(6)
      item.querySelector("[data-pin-lng]").value = latlng.lng.toFixed(6)
      item.querySelector("[data-pin-where]").textContent = where(latlng)
    }

    // Give a listed pin its marker and its "Move" and "Remove" buttons.
    function adopt (item, latlng) {
      var box = item.querySelector("[data-pin-remove-box]")
      if (box) {
        var ticked = box.querySelector("input").checked
        box.parentNode.removeChild(box)
        if (ticked) { item.parentNode.removeChild(item); return null }
      }
      latlng = latlng || L.latLng(parseFloat(item.querySelector("[data-pin-lat]").value),
        parseFloat(item.querySelector("[data-pin-lng]").value))
      if (isNaN(latlng.lat) || isNaN(latlng.lng)) latlng = map.getCenter()
      var title = item.querySelector("[data-pin-title]")
      if (!item.querySelector("[data-pin-where]")) {
        title.parentNode.insertBefore(el("p", { class: "govuk-body-s govuk-!-margin-bottom-2", "data-pin-where": "" }),
          title.nextSibling)
      }
      item.marker = L.marker(latlng, { draggable: true, keyboard: true, autoPan: true }).addTo(map)
      item.marker.on("dragend", function () { setPosition(item, item.marker.getLatLng()); renumber() })
      item.marker.on("click", function () { item.querySelector("textarea").focus() })
      var buttons = el("div", { class: "govuk-button-group govuk-!-margin-top-2 govuk-!-margin-bottom-0" })
      var move = el("button", { type: "button", class: "govuk-button govuk-button--secondary", "data-pin-move": "" })
      var remove = el("button", { type: "button", class: "govuk-button govuk-button--warning", "data-pin-remove": "" })
      move.addEventListener("click", function () {
        item.marker.setLatLng(map.getCenter())
        setPosition(item, map.getCenter())
        say(item.querySelector("[data-pin-title]").textContent + " moved to the centre of the map, " + where(map.getCenter()) + ".")
      })
      remove.addEventListener("click", function () {
        var what = item.querySelector("[data-pin-title]").textContent
        map.removeLayer(item.marker)
        item.parentNode.removeChild(item)
        renumber()
        say(what + " removed.")
        root.querySelector("[data-map-drop]").focus()
      })
      buttons.appendChild(move)
      buttons.appendChild(remove)
      item.appendChild(buttons)
      return item
    }

    function addPin (latlng) {
      var item = el("li", { class: "app-map-question__pin govuk-form-group", "data-map-pin": "" })
      item.appendChild(el("input", { type: "hidden", "data-pin-lat": "" }))
      item.appendChild(el("input", { type: "hidden", "data-pin-lng": "" }))
      item.appendChild(el("h4", { class: "govuk-heading-s govuk-!-margin-bottom-1", "data-pin-title": "" }))
      item.appendChild(el("label", { class: "govuk-label", for: "" }))
      item.appendChild(el("textarea", { class: "govuk-textarea", rows: "3" }))
      list.appendChild(item)
      adopt(item, latlng)
      setPosition(item, latlng)
      renumber()
      var title = item.querySelector("[data-pin-title]").textContent
      say(title + " dropped " + where(latlng) + ". Type your comment for it.")
      item.querySelector("textarea").focus()
    }

    items().forEach(function (item) { adopt(item) })
    renumber()
    map.on("click", function (event) { addPin(event.latlng) })
    root.querySelector("[data-map-drop]").addEventListener("click", function () { addPin(map.getCenter()) })
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-map-question]"), setUp)
})()
