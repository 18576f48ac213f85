export const exchange = { x: 'x' };
