// The page's one way to make an element.

/** `<tag>` with `attributes` (`text` sets its text, `className` its class) and `children` (nodes or strings; null and undefined skipped). */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of [].concat(children)) if (child !== undefined && child !== null) node.append(child);
  return node;
}
