// The rectify hub (问题与整改): problems found at any of the three levels and the rectification
// orders that close them. It ships the labels of its records; its pages come with the
// rectification workflow (the board, the order page, the enterprise's submissions).
import strings from './strings.js';
import labels from './labels.json' with { type: 'json' };

export default {
  name: 'rectify',
  strings, labels,
  routes: [],
  nav: [],
  perms: {},
};
