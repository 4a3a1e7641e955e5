import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { defineConfig, globalIgnores } from "eslint/config";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "dist/**",
    "node_modules/**",
    "lib/db/generated/**",
    "next-env.d.ts",
    ".data/**",
    ".e2e-data*/**",
    "test-results/**",
    "playwright-report/**",
  ]),
]);
