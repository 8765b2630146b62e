// A VPC flow log record as Trailscope stores it: the fields of versions 2 to 5 (absent ones null),
// times in epoch milliseconds. The parsers make it (ingest/parse/flow-parser.ts), the flow blocks store it.
export type FlowRow = {
  version: number | null;
  accountId: string | null;
  interfaceId: string | null;
  srcaddr: string | null;
  dstaddr: string | null;
  srcport: number | null;
  dstport: number | null;
  protocol: number | null;
  packets: number | null;
  bytes: number | null;
  startTime: number | null;
  endTime: number | null;
  action: string | null;
  logStatus: string | null;
  vpcId: string | null;
  subnetId: string | null;
  instanceId: string | null;
  tcpFlags: number | null;
  trafficType: string | null;
  pktSrcaddr: string | null;
  pktDstaddr: string | null;
  region: string | null;
  azId: string | null;
  sublocationType: string | null;
  sublocationId: string | null;
  pktSrcAwsService: string | null;
  pktDstAwsService: string | null;
  flowDirection: string | null;
  trafficPath: number | null;
};
