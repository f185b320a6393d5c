import { Controller, Headers, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthService, type Ticket } from './auth.service';

/** `POST /api/v1/tickets`: a short-lived, single-use stream ticket for a browser, bought with an API key. */
@ApiTags('auth')
@Controller('v1/tickets')
export class TicketsController {
  constructor(private readonly auth: AuthService) {}

  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Issue a stream ticket (Authorization: Bearer <api key>)' })
  issue(@Headers('authorization') authorization: string | undefined): Ticket {
    const key = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (key === undefined || !this.auth.isApiKey(key)) throw new UnauthorizedException('a valid API key is required');
    return this.auth.issueTicket();
  }
}
