// The "ALT" mark on an image that has a description (its text is the image's alt already, so
// screen readers hear "has a description" rather than the letters).
export default function AltBadge() {
  return (
    <span className="alt-badge" title="This image has a description">
      <span aria-hidden="true">ALT</span>
      <span className="visually-hidden">Has a description</span>
    </span>
  );
}
