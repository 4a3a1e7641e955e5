// The lucide icons a node definition may name, listed once: definitions type their `icon` against
// these exports (type-only, so the server never loads lucide) and the canvas renders them by name.
export { CalendarClock, ClipboardList, Code, CreditCard, FileText, Filter, GitBranch, Globe, Hand, Hourglass, Mail, MessageCircle, MessageSquare, Repeat, Reply, ShieldCheck, Shuffle, Split, Timer, Users, Webhook, Workflow } from "lucide-react";
