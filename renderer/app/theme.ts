// The workbench's Mantine theme, with colours that meet WCAG AA contrast (4.5:1 for text) in both schemes:
// Mantine's defaults (dimmed gray-6, white on indigo-6, `light` variants' color-9 text on color-1) fall short.
import { Badge, createTheme, darken, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // White on indigo-7 (light) and indigo-8 (dark) is at least 4.5:1; on Mantine's default indigo-6 it is 4.3:1.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'sm',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif',
  fontFamilyMonospace: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
  fontSizes: { xs: '11px', sm: '13px', md: '14px', lg: '16px', xl: '18px' },
  components: {
    // White text on filled teal, orange or yellow badges cannot reach 4.5:1; the light variant's text can.
    Badge: Badge.extend({ defaultProps: { variant: 'light' } }),
  },
});

const TEXT_COLORS = ['red', 'pink', 'grape', 'violet', 'indigo', 'blue', 'cyan', 'teal', 'green', 'lime', 'yellow', 'orange'] as const;

/** Text colours: darker shades on light surfaces, lighter ones on dark surfaces (also over the `light` tints). */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' };
  const dark: Record<string, string> = { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' };
  for (const name of TEXT_COLORS) {
    const shades = t.colors[name]!;
    light[`--mantine-color-${name}-text`] = darken(shades[9], 0.2);
    light[`--mantine-color-${name}-light-color`] = darken(shades[9], 0.3);
    light[`--mantine-color-${name}-outline`] = darken(shades[9], 0.2);
    dark[`--mantine-color-${name}-text`] = `var(--mantine-color-${name}-3)`;
  }
  return { variables: {}, light, dark };
};
