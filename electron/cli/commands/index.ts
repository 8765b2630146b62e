// Every `trailscope` subcommand, in the order `trailscope --help` lists them.
// Append one line per command.
import type { CliCommand } from '../command.ts';
import { command as ingest } from './ingest.ts';
import { command as info } from './info.ts';
import { command as serve } from './serve.ts';
import { command as actor } from './actor.ts';
import { command as whoChanged } from './who-changed.ts';
import { command as timeline } from './timeline.ts';
import { command as flows } from './flows.ts';
import { command as graph } from './graph.ts';
import { command as pull } from './pull.ts';
import { command as findings } from './findings.ts';
import { command as suppress } from './suppress.ts';
import { command as sigma } from './sigma.ts';
import { command as path } from './path.ts';
import { command as note } from './note.ts';
import { command as tag } from './tag.ts';
import { command as notes } from './notes.ts';
import { command as verify } from './verify.ts';
import { command as report } from './report.ts';
import { command as views } from './views.ts';
import { command as call } from './call.ts';

export const COMMANDS: CliCommand[] = [
  ingest,
  info,
  serve,
  actor,
  whoChanged,
  timeline,
  flows,
  graph,
  pull,
  findings,
  suppress,
  sigma,
  path,
  note,
  tag,
  notes,
  verify,
  report,
  views,
  call,
];
