// The WebAuthn ceremony for security keys, and nothing else: ask the server for options, let the
// browser talk to the key, put its answer (JSON) in the form and post it as an ordinary form.
// Without this script, or without WebAuthn in the browser, the page offers codes instead.

const b64urlToBytes = (text) => {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4)
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
}

const bytesToB64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
  .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")

// Older browsers lack PublicKeyCredential.parse*OptionsFromJSON and credential.toJSON().
const parseOptions = (kind, json) => {
  if (kind === "register" && PublicKeyCredential.parseCreationOptionsFromJSON) {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json)
  }
  if (kind === "sign-in" && PublicKeyCredential.parseRequestOptionsFromJSON) {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json)
  }
  const options = { ...json, challenge: b64urlToBytes(json.challenge) }
  if (json.user) options.user = { ...json.user, id: b64urlToBytes(json.user.id) }
  for (const list of ["excludeCredentials", "allowCredentials"]) {
    if (json[list]) options[list] = json[list].map((c) => ({ ...c, id: b64urlToBytes(c.id) }))
  }
  return options
}

const credentialToJSON = (credential) => {
  if (typeof credential.toJSON === "function") return credential.toJSON()
  const r = credential.response
  const response = { clientDataJSON: bytesToB64url(r.clientDataJSON) }
  if (r.attestationObject) {
    response.attestationObject = bytesToB64url(r.attestationObject)
    response.transports = r.getTransports ? r.getTransports() : []
  } else {
    response.authenticatorData = bytesToB64url(r.authenticatorData)
    response.signature = bytesToB64url(r.signature)
    if (r.userHandle) response.userHandle = bytesToB64url(r.userHandle)
  }
  return { id: credential.id, rawId: bytesToB64url(credential.rawId), type: credential.type, response,
    authenticatorAttachment: credential.authenticatorAttachment, clientExtensionResults: {} }
}

const MESSAGES = {
  NotAllowedError: "Your security key did not answer, or you cancelled. Try again, or enter a code instead",
  InvalidStateError: "That security key is already registered to your account",
  SecurityError: "Security keys cannot be used at this web address. Enter a code instead"
}

const showError = (message) => {
  const box = document.querySelector("[data-security-key-error]")
  box.textContent = ""
  const hidden = document.createElement("span")
  hidden.className = "govuk-visually-hidden"
  hidden.textContent = "Error:"
  box.append(hidden, " " + message)
  box.hidden = false
  box.closest(".govuk-form-group")?.classList.add("govuk-form-group--error")
  box.setAttribute("tabindex", "-1")
  box.focus()
}

const ceremony = async (form) => {
  const kind = form.dataset.securityKey
  const reply = await fetch(form.dataset.optionsUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": form.querySelector("[name=csrf_token]").value, Accept: "application/json" }
  })
  const json = await reply.json().catch(() => ({}))
  if (!reply.ok) throw new Error(json.error || "Something went wrong. Try again")
  const publicKey = parseOptions(kind, json)
  const credential = kind === "register"
    ? await navigator.credentials.create({ publicKey })
    : await navigator.credentials.get({ publicKey })
  form.querySelector("[name=credential]").value = JSON.stringify(credentialToJSON(credential))
  form.submit()
}

const start = () => {
  const forms = document.querySelectorAll("form[data-security-key]")
  if (!forms.length) return
  document.querySelectorAll("[data-security-key-no-script]").forEach((el) => { el.hidden = true })
  if (!window.PublicKeyCredential || !navigator.credentials) {
    document.querySelectorAll("[data-security-key-unsupported]").forEach((el) => { el.hidden = false })
    return
  }
  document.querySelectorAll("[data-security-key-panel]").forEach((el) => { el.hidden = false })
  forms.forEach((form) => {
    form.addEventListener("submit", (event) => {
      // Adding a key with no name or password: post as it is, so the server asks for them first.
      const missing = [...form.querySelectorAll("[name=name], [name=password]")].some((el) => !el.value.trim())
      if (missing) return
      event.preventDefault()
      const button = form.querySelector("button[type=submit]")
      button.disabled = true
      ceremony(form).catch((error) => {
        button.disabled = false
        showError(MESSAGES[error.name] || error.message || "Something went wrong. Try again")
      })
    })
  })
}

start()
