export const statsRoutes = [];
