export function VerifyScreen() {
  return <div>Verify</div>;
}
