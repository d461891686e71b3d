import { BUILT_IN_FIELDS } from '../domain/metadata/built-in.ts';
import {
  createMetadataField,
  deleteMetadataField,
  listMetadataFields,
  renameMetadataField,
  setBuiltInFields,
  setDocumentsMetadata,
} from '../domain/metadata/service.ts';
import { builder } from './builder.ts';
import { DatasetRef } from './datasets.ts';
import { WRITE_ERRORS } from './errors.ts';
import { idArg } from './ids.ts';


interface FieldUsage {
  id: string;
  name: string;
  type: string;
  count: number;
}

const MetadataFieldUsageRef = builder.objectRef<FieldUsage>('MetadataFieldUsage').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: 'string, number or time (Unix seconds).' }),
    count: t.exposeInt('count', { description: 'Documents carrying a value for the field.' }),
  }),
});

const BuiltInFieldRef = builder
  .objectRef<(typeof BUILT_IN_FIELDS)[number]>('BuiltInMetadataField')
  .implement({ fields: (t) => ({ name: t.exposeString('name'), type: t.exposeString('type') }) });

builder.prismaObjectFields(DatasetRef, (t) => ({
  metadataFields: t.field({
    type: [MetadataFieldUsageRef],
    description: 'Custom metadata fields with their usage counts (built-in fields are listed by builtInMetadataFields).',
    resolve: (dataset, _a, ctx) => listMetadataFields(ctx.prisma, dataset.id),
  }),
  builtInMetadataFields: t.field({ type: [BuiltInFieldRef], resolve: () => [...BUILT_IN_FIELDS] }),
}));

const MetadataFieldRef = builder.prismaObject('MetadataField', {
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name'), type: t.exposeString('type') }),
});

const MetadataValueInput = builder.inputType('MetadataValueInput', {
  fields: (t) => ({
    id: t.id({ description: 'The field id (or give its name).' }),
    name: t.string(),
    value: t.field({ type: 'JSON', description: 'A string, a number, or null to clear.' }),
  }),
});

const DocumentMetadataInput = builder.inputType('DocumentMetadataInput', {
  fields: (t) => ({
    documentId: t.id({ required: true }),
    metadataList: t.field({ type: [MetadataValueInput], required: true }),
    partialUpdate: t.boolean({ description: 'Merge into the existing values instead of replacing them.' }),
  }),
});

builder.mutationFields((t) => ({
  createMetadataField: t.prismaField({
    type: MetadataFieldRef,
    errors: { types: [...WRITE_ERRORS] },
    args: { datasetId: t.arg.id({ required: true }), type: t.arg.string({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_q, _r, args, ctx) => createMetadataField(ctx.prisma, ctx.viewer, idArg(args.datasetId, 'Dataset'), args),
  }),
  renameMetadataField: t.prismaField({
    type: MetadataFieldRef,
    errors: { types: [...WRITE_ERRORS] },
    args: { datasetId: t.arg.id({ required: true }), metadataId: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_q, _r, args, ctx) =>
      renameMetadataField(ctx.prisma, ctx.viewer, idArg(args.datasetId, 'Dataset'), idArg(args.metadataId, 'MetadataField'), args.name),
  }),
  deleteMetadataField: t.prismaField({
    type: MetadataFieldRef,
    errors: { types: [...WRITE_ERRORS] },
    args: { datasetId: t.arg.id({ required: true }), metadataId: t.arg.id({ required: true }) },
    resolve: (_q, _r, args, ctx) =>
      deleteMetadataField(ctx.prisma, ctx.viewer, idArg(args.datasetId, 'Dataset'), idArg(args.metadataId, 'MetadataField')),
  }),
  setBuiltInMetadataFields: t.prismaField({
    type: 'Dataset',
    description: 'Turns the built-in fields (document_name, uploader, upload_date, last_update_date, source) on or off.',
    errors: { types: [...WRITE_ERRORS] },
    args: { datasetId: t.arg.id({ required: true }), enabled: t.arg.boolean({ required: true }) },
    resolve: (_q, _r, args, ctx) => setBuiltInFields(ctx.prisma, ctx.viewer, idArg(args.datasetId, 'Dataset'), args.enabled),
  }),
  setDocumentsMetadata: t.boolean({
    description: 'Sets metadata values of several documents at once (all or nothing).',
    errors: { types: [...WRITE_ERRORS] },
    args: { datasetId: t.arg.id({ required: true }), operations: t.arg({ type: [DocumentMetadataInput], required: true }) },
    resolve: async (_r, args, ctx) => {
      await setDocumentsMetadata(
        ctx.prisma,
        ctx.viewer,
        idArg(args.datasetId, 'Dataset'),
        args.operations.map((op) => ({
          documentId: idArg(op.documentId, 'Document'),
          metadataList: op.metadataList.map((m) => ({ id: m.id ? String(m.id) : null, name: m.name, value: m.value })),
          partialUpdate: op.partialUpdate,
        })),
      );
      return true;
    },
  }),
}));
