"""The assessment-partner API: organization API keys, assessments an applicant-tracking system
can send, invitations with their links and e-mails, and their status and results."""
