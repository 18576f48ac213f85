export const importing = { x: 'x' };
