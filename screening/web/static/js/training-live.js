// Live updates for group training sessions: the projector view and the learners' pages.
//
// Loaded as a module by those pages only (no inline script: the Content Security Policy allows none). Every
// POLL_MS it fetches the page's small live fragment (data-live-url): when the room has moved on (its data-state
// differs from the page's) the page reloads; otherwise the projector's "N of M answered" is brought up to date.
// Polling suits the app's synchronous workers, where an open event stream would hold a worker per device
// (docs/adr/0022-group-training-sessions.md). Without JavaScript the pages have a refresh link instead.
const POLL_MS = 2000

const page = document.querySelector('[data-live-url]')

async function poll () {
  try {
    const response = await fetch(page.dataset.liveUrl, { credentials: 'same-origin', cache: 'no-store' })
    if (response.ok) {
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html')
      const live = doc.querySelector('[data-state]')
      if (live && live.dataset.state !== page.dataset.state) {
        window.location.reload()
        return
      }
      const count = document.getElementById('live-count')
      if (live && count && count.textContent !== live.textContent) count.textContent = live.textContent
    }
  } catch (error) {
    // A dropped connection: try again at the next tick.
  }
  window.setTimeout(poll, POLL_MS)
}

if (page) window.setTimeout(poll, POLL_MS)
