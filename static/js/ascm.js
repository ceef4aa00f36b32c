import { initAll } from '/static/govuk/govuk-frontend.min.js'

initAll()

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
    signOutTimer = setTimeout(() => { window.location.href = body.dataset.signoutUrl + '?timeout=1' }, idleSeconds * 1000)
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
