// Maps the lucide icon names used by node definitions to components (explicit imports keep the bundle small).
import {
  Box,
  ClipboardList,
  CreditCard,
  FileText,
  Filter,
  GitBranch,
  Globe,
  Hourglass,
  Mail,
  MessageCircle,
  MessageSquare,
  MessagesSquare,
  Newspaper,
  Reply,
  ShieldCheck,
  Shuffle,
  Split,
  Timer,
  Users,
  Webhook,
  type LucideIcon,
} from "lucide-react";

const ICONS: Record<string, LucideIcon> = {
  ClipboardList,
  CreditCard,
  FileText,
  Filter,
  GitBranch,
  Globe,
  Hourglass,
  Mail,
  MessageCircle,
  MessageSquare,
  MessagesSquare,
  Newspaper,
  Reply,
  ShieldCheck,
  Shuffle,
  Split,
  Timer,
  Users,
  Webhook,
};

export function NodeIcon({ name, className = "size-4" }: { name: string | undefined; className?: string }) {
  const Icon = (name && ICONS[name]) || Box;
  return <Icon className={className} aria-hidden />;
}
