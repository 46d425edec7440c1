// The rectify hub's interface strings (its pages arrive with the rectification workflow).
export default {
  zh: {},
  en: {},
};
