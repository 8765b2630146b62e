// Calls only an instance's SSM agent makes: their source address is the instance's own (or its NAT's),
// so they tell the instance's addresses (instance-addresses.ts). In SQL on the interned ids of a row of
// event_rows' columns (`alias`.error_code, .event_name, .event_source), so the test needs no text per event.
export function agentCallSql(alias: string): string {
  return `(${alias}.error_code IS NULL AND (${alias}.event_name = (SELECT id FROM strings WHERE value = 'UpdateInstanceInformation')
  OR ${alias}.event_source IN (SELECT id FROM strings WHERE value IN ('ec2messages.amazonaws.com', 'ssmmessages.amazonaws.com'))))`;
}
