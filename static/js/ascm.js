// GOV.UK Frontend is loaded once, from its hashed (long-cached) URL the page gives us.
const { initAll } = await import(document.body.dataset.govukFrontend)
initAll()

// Forms with something typed in them: their text must survive an automatic sign-out.
const changedForms = new Set()
document.querySelectorAll('form[method="post"]:not([data-no-keep])').forEach((form) => {
  const changed = () => changedForms.add(form)
  form.addEventListener('input', changed)
  form.addEventListener('change', changed)
  form.addEventListener('submit', () => changedForms.delete(form))
})

// Session timeout warning (the GOV.UK timeout-warning pattern): two minutes before the
// 30-minute idle limit, ask whether to stay signed in. Any request to the server slides the limit.
const body = document.body
const idleSeconds = Number(body.dataset.sessionIdleSeconds || 0)
const warningSeconds = Number(body.dataset.sessionWarningSeconds || 120)
const dialog = document.getElementById('session-timeout-dialog')

if (idleSeconds && dialog && typeof dialog.showModal === 'function') {
  let warnTimer, signOutTimer, countdownTimer
  const countdown = dialog.querySelector('[data-countdown]')
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || ''

  const describe = (seconds) => seconds >= 60
    ? `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? '' : 's'}`
    : `${seconds} second${seconds === 1 ? '' : 's'}`

  const schedule = () => {
    clearTimeout(warnTimer); clearTimeout(signOutTimer); clearInterval(countdownTimer)
    warnTimer = setTimeout(warn, Math.max(idleSeconds - warningSeconds, 1) * 1000)
    signOutTimer = setTimeout(signOutNow, idleSeconds * 1000)
  }

  // Time is up. A form with typed text is posted, marked as timed out: the server keeps it, signs the
  // person out and saves it when they sign in again and come back. Otherwise, a plain sign-out.
  const signOutNow = () => {
    const form = [...changedForms][0]
    const target = form || document.getElementById('session-timeout-signout')
    const marker = document.createElement('input')
    marker.type = 'hidden'
    marker.name = 'ascm_timed_out'
    marker.value = '1'
    target.appendChild(marker)
    target.submit()
  }

  const warn = () => {
    let left = warningSeconds
    countdown.textContent = describe(left)
    dialog.showModal()
    dialog.querySelector('[data-keepalive]').focus()
    countdownTimer = setInterval(() => {
      left -= 1
      // Announce only every 30 seconds so screen readers are not flooded.
      if (left % 30 === 0 || left < 10) countdown.textContent = describe(Math.max(left, 0))
    }, 1000)
  }

  const keepAlive = async () => {
    await fetch(body.dataset.keepaliveUrl, { method: 'POST', headers: { 'X-CSRFToken': csrf }, credentials: 'same-origin' })
    dialog.close()
    schedule()
  }

  dialog.querySelector('[data-keepalive]').addEventListener('click', keepAlive)
  dialog.addEventListener('cancel', (event) => { event.preventDefault(); keepAlive() })
  schedule()
}

// Assessment autosave: every 30 seconds, if anything changed, save the draft in the background.
// The server refuses a save over someone else's newer version (409); then autosave stops and says so,
// and the person's text stays on the page for them to save deliberately.
const autosaveForm = document.querySelector('form[data-autosave]')
if (autosaveForm) {
  const status = autosaveForm.querySelector('[data-autosave-status]')
  const version = autosaveForm.querySelector('input[name="version"]')
  let dirty = false
  let stopped = false
  autosaveForm.addEventListener('input', () => { dirty = true })
  autosaveForm.addEventListener('change', () => { dirty = true })
  autosaveForm.addEventListener('submit', () => { stopped = true })
  const save = async () => {
    if (!dirty || stopped) return
    dirty = false
    const body = new FormData(autosaveForm)
    body.set('goto', 'save')
    const response = await fetch(autosaveForm.dataset.autosave, {
      method: 'POST', body, credentials: 'same-origin', headers: { 'X-ASCM-Autosave': '1' }
    })
    const result = await response.json().catch(() => ({}))
    if (response.ok) {
      version.value = result.version
      status.textContent = `Draft saved automatically at ${result.saved_at}`
    } else {
      stopped = true
      status.textContent = `Not saved automatically: ${result.message || 'please save the page'}`
    }
  }
  setInterval(save, Number(autosaveForm.dataset.autosaveSeconds || 30) * 1000)

  // Leaving the page with unsaved answers (a link, the back button, closing the tab): save first.
  // A link waits for the save; closing the tab sends it with keepalive so it completes anyway.
  document.addEventListener('click', async (event) => {
    const link = event.target.closest('a[href]')
    if (!link || !dirty || stopped || link.target || event.ctrlKey || event.metaKey || event.shiftKey) return
    event.preventDefault()
    await save()
    if (stopped) { status.focus(); return } // not saved (a conflict): stay, the text is still here
    window.location.href = link.href
  })
  window.addEventListener('pagehide', () => {
    if (!dirty || stopped) return
    const body = new FormData(autosaveForm)
    body.set('goto', 'save')
    fetch(autosaveForm.dataset.autosave, {
      method: 'POST', body, credentials: 'same-origin', keepalive: true, headers: { 'X-ASCM-Autosave': '1' }
    })
  })
}

// "Print this page" buttons (the printable copy of a care and support plan).
document.querySelectorAll('[data-print]').forEach((button) => {
  button.addEventListener('click', () => window.print())
})
