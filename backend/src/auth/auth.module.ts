import { Module } from '@nestjs/common';
import { AuthService } from './auth.service';
import { TicketsController } from './tickets.controller';

@Module({ providers: [AuthService], controllers: [TicketsController], exports: [AuthService] })
export class AuthModule {}
