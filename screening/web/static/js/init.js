// Progressive enhancement for GOV.UK Frontend components.
//
// Loaded as <script type="module" src="/assets/js/init.js"> from base.html. It
// is a separate file, not an inline script, so that the Content Security Policy
// needs no 'unsafe-inline'. Browsers that cannot run modules never load it, so
// pages keep working without JavaScript (the `js-enabled` styles only apply once
// this has run).
//
// govuk-frontend.min.js is copied here by frontend/build.sh (not committed).
import { initAll } from './govuk-frontend.min.js'

// GOV.UK Frontend's template does this in an inline script. Any browser that
// runs this module supports ES modules, so it also gets 'govuk-frontend-supported',
// which initAll() checks for before it starts any component.
document.body.classList.add('js-enabled', 'govuk-frontend-supported')

initAll()

// Tell forms that ask (a hidden field named "js") that their conditional reveals ran, so the server need not ask
// again on a follow-up page what this page already showed.
document.querySelectorAll('input[type=hidden][name=js]').forEach((field) => { field.value = '1' })

// GOV.UK Frontend marks a radio or checkbox that reveals a question with aria-expanded, which ARIA does not allow
// on those roles (a known issue of GOV.UK Frontend; axe reports it as aria-allowed-attr). The reveal is already
// tied to its input by aria-controls and is read in place, so the attribute is taken off whenever it is set.
const revealing = 'input.govuk-radios__input[aria-controls], input.govuk-checkboxes__input[aria-controls]'
const dropExpanded = (input) => { if (input.hasAttribute('aria-expanded')) input.removeAttribute('aria-expanded') }
document.querySelectorAll(revealing).forEach(dropExpanded)
new MutationObserver((changes) => changes.forEach((change) => dropExpanded(change.target)))
  .observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-expanded'] })
