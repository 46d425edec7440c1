// Hazardous waste (危险废物): the staff pages (sites with their class and stock, open warnings,
// transfer manifests), a site's ledger page (stock chart, batches, records, devices, plans; the
// enterprise adds records, registers a smart scale, generates and files its plan), a manifest's
// page (its lines and the next step of its shipper or receiver) and the enterprise's own page
// (its sites and manifests, a new manifest). Role sets mirror src/waste/api.c and manifest.c.
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'waste',
  strings, labels,
  routes: [
    { path: '/waste', page: () => import('./sites.js'), perm: 'staff' },
    { path: '/waste/sites/:id', page: () => import('./site.js'), perm: 'any' },
    { path: '/waste/manifests/:id', page: () => import('./manifest.js'), perm: 'any' },
    { path: '/waste/mine', page: () => import('./mine.js'), perm: 'waste.write' },
  ],
  nav: [
    { group: 'nav_registry', path: '/waste', label: 'hw_nav', perm: 'staff', icon: 'log', order: 70 },
    { group: 'nav_own', who: 'enterprise', path: '/waste/mine', label: 'hw_own_nav', perm: 'waste.write', icon: 'log', order: 70 },
  ],
  perms: {
    'waste.write': { roles: ['admin', 'enterprise'], route: 'POST /api/v1/waste/sites/{id}/records' },
    'waste.site': { roles: ['admin', 'inspector', 'enterprise'], route: 'POST /api/v1/waste/sites' },
    'waste.ship': { roles: ['admin', 'enterprise'], route: 'POST /api/v1/waste/manifests/{id}/ship' },
  },
  entityLinks: {
    waste_site: (id) => `#/waste/sites/${id}`,
    waste_manifest: (id) => `#/waste/manifests/${id}`,
  },
};
