// Idle-timeout warning (progressive enhancement; the server signs people out anyway).
// Two minutes before the idle timeout, show a warning with a "Stay signed in" button that calls the
// keep-alive URL; at the timeout, go to the signed-out page. Settings and words come from data attributes on <body>.
const body = document.body
const minutes = Number(body.dataset.idleTimeoutMinutes || 0)
const keepAliveUrl = body.dataset.keepAliveUrl
const signedOutUrl = body.dataset.signedOutUrl
const WARN_BEFORE_MS = Number(body.dataset.idleWarningSeconds || 120) * 1000

let warnTimer
let endTimer

function warning () {
  let box = document.getElementById('app-idle-warning')
  if (box) return box
  box = document.createElement('div')
  box.id = 'app-idle-warning'
  box.className = 'govuk-notification-banner app-idle-warning'
  box.setAttribute('role', 'alertdialog')
  box.setAttribute('aria-labelledby', 'app-idle-warning-title')
  box.innerHTML = '<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" ' +
    'id="app-idle-warning-title"></h2></div><div class="govuk-notification-banner__content">' +
    '<p class="govuk-notification-banner__heading"></p>' +
    '<button type="button" class="govuk-button govuk-!-margin-bottom-0"></button></div>'
  // the words in the page's language, from <body>'s data attributes (base.html), set as text, never as markup
  box.querySelector('h2').textContent = body.dataset.idleWarningTitle || 'Important'
  box.querySelector('p').textContent = body.dataset.idleWarningText ||
    'You will be signed out soon because you have not done anything for a while. Anything you have saved is safe.'
  box.querySelector('button').textContent = body.dataset.idleStayText || 'Stay signed in'
  box.querySelector('button').addEventListener('click', stayIn)
  document.getElementById('main-content').prepend(box)
  return box
}

function schedule () {
  clearTimeout(warnTimer)
  clearTimeout(endTimer)
  const total = minutes * 60 * 1000
  warnTimer = setTimeout(() => { warning().querySelector('button').focus() }, Math.max(total - WARN_BEFORE_MS, 0))
  endTimer = setTimeout(() => { window.location.assign(signedOutUrl) }, total)
}

async function stayIn () {
  const response = await fetch(keepAliveUrl, { credentials: 'same-origin' })
  if (!response.ok) { window.location.assign(signedOutUrl); return }
  document.getElementById('app-idle-warning')?.remove()
  schedule()
}

if (minutes > 0 && keepAliveUrl && signedOutUrl) schedule()
