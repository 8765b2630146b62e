// Classifies a CloudTrail userAgent: a console click, a person at a CLI, a program, or
// infrastructure-as-code. "Someone opened a port from the console" reads differently from Terraform.
import type { UserAgentClass } from '../../../../shared/engine-types.ts';

export function classifyUserAgent(ua: string | null): UserAgentClass {
  if (!ua) return 'other';
  const s = ua.toLowerCase();
  if (/terraform|cloudformation|pulumi|aws-cdk|\bcdk\b|crossplane|ansible|aws-sam|serverless/.test(s)) return 'iac';
  if (/^(signin|console|[a-z0-9-]+\.console)\.amazonaws\.com|awsconsole|console\.aws\.amazon|^mozilla\//.test(s) || s === 'aws internal') {
    return s === 'aws internal' ? 'aws-service' : 'console';
  }
  if (/^aws-cli\/|aws-shell|awscli|powershell|aws-tools-for-powershell/.test(s)) return 'cli';
  if (/^[a-z0-9-]+\.amazonaws\.com$/.test(s)) return 'aws-service';
  if (/aws-sdk|boto3|botocore|aws-sdk-go|aws-sdk-java|aws-sdk-js|aws-sdk-rust|aws-sdk-dotnet|aws-sdk-php|aws-sdk-ruby|sdk-java|go-http/.test(s)) return 'sdk';
  return 'other';
}

/**
 * Agents AWS writes itself rather than a client the identity ran: "AWS Internal" on console
 * sessions' background calls, service principals ("cloudformation.amazonaws.com"), the console's
 * own SDK calls ("[S3Console/0.4, aws-internal/3 …]") and internal frameworks ("Coral/Netty4").
 * They say nothing about where a credential is used from.
 */
export function isServiceGeneratedAgent(ua: string): boolean {
  // A service principal as agent ("cloudformation.amazonaws.com") classifies as iac or aws-service: both are AWS's own.
  const s = ua.trim();
  return classifyUserAgent(s) === 'aws-service' || /^[a-z0-9.-]+\.amazonaws\.com$/i.test(s) || /aws-internal\/|^coral\/|^\[?aws internal/i.test(s);
}
