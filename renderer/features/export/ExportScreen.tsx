export function ExportScreen() {
  return <div>Export</div>;
}
