import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { asyncApiDocument } from './asyncapi-document';

/** The AsyncAPI document of the stream (the OpenAPI one is served by SwaggerModule at /api/v1/openapi.json). */
@ApiExcludeController()
@Controller('v1')
export class ApiDocsController {
  private readonly document = asyncApiDocument();

  @Get('asyncapi.json')
  asyncapi(): Record<string, unknown> {
    return this.document;
  }
}
