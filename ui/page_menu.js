// The page menu: say which link is the current page, and that the menu is the site's navigation.
//
// Loaded by ui/page_menu.py through st.components.v2 (served with the page, never from a CDN).
// st.page_link highlights the current page for the eye only; this script adds what a screen reader
// needs: aria-current="page" on that link, and role="navigation" with a name on the menu's container.
// It changes two attributes, renders nothing and writes no text into the page.
//
// data: { menu: the menu container's key, label: the landmark's name, current: the current page's
//         link target as st.page_link writes it (its url_path, "" for the default page) }

export default function ({ data }) {
  // Streamlit gives a keyed container the class "st-key-<key>".
  const selector = `.st-key-${CSS.escape(String(data.menu))}`;

  function mark() {
    const menu = document.querySelector(selector);
    if (!menu) return;
    if (menu.getAttribute("role") !== "navigation") {
      menu.setAttribute("role", "navigation");
      menu.setAttribute("aria-label", String(data.label));
    }
    // By the link's target: Streamlit also keeps an undisplayed copy of each link for its tooltip.
    const links = menu.querySelectorAll("a[data-testid='stPageLink-NavLink']");
    links.forEach((link) => {
      if (link.getAttribute("href") === data.current) {
        if (link.getAttribute("aria-current") !== "page") link.setAttribute("aria-current", "page");
      } else if (link.hasAttribute("aria-current")) {
        link.removeAttribute("aria-current");
      }
    });
  }

  // The links are drawn after this script first runs, and React may draw them again on a rerun, so
  // mark again whenever elements are added or removed (attribute changes do not wake the observer).
  mark();
  const observer = new MutationObserver(mark);
  observer.observe(document.body, { childList: true, subtree: true });
  // Streamlit calls this when the component leaves the page or is mounted again with new data.
  return () => observer.disconnect();
}
