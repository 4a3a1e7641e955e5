// /api/auth/* – Better Auth: sign-up, sign-in, sign-out, sessions, workspaces and invitations.
import { getAuth } from "@/lib/auth/auth";

async function handle(req: Request) {
  return (await getAuth()).handler(req);
}

export { handle as GET, handle as POST };
