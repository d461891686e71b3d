-- pgvector holds the embeddings; an HNSW index per dimension is created at run time (src/search/vector).
CREATE EXTENSION IF NOT EXISTS vector;

-- CreateTable
CREATE TABLE "workspaces" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'normal',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'owner',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key_datasets" (
    "api_key_id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,

    CONSTRAINT "api_key_datasets_pkey" PRIMARY KEY ("api_key_id","dataset_id")
);

-- CreateTable
CREATE TABLE "datasets" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT DEFAULT '',
    "provider" TEXT NOT NULL DEFAULT 'vendor',
    "permission" TEXT NOT NULL DEFAULT 'only_me',
    "data_source_type" TEXT,
    "indexing_technique" TEXT,
    "created_by" UUID NOT NULL,
    "maintainer" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "embedding_model" TEXT,
    "embedding_model_provider" TEXT,
    "keyword_number" INTEGER NOT NULL DEFAULT 10,
    "retrieval_model" JSONB,
    "summary_index_setting" JSONB,
    "built_in_field_enabled" BOOLEAN NOT NULL DEFAULT false,
    "icon_info" JSONB,
    "runtime_mode" TEXT NOT NULL DEFAULT 'general',
    "pipeline_id" UUID,
    "chunk_structure" TEXT,
    "enable_api" BOOLEAN NOT NULL DEFAULT true,
    "is_multimodal" BOOLEAN NOT NULL DEFAULT false,
    "external_knowledge_id" TEXT,
    "external_knowledge_api_id" TEXT,
    "partial_member_list" UUID[] DEFAULT ARRAY[]::UUID[],

    CONSTRAINT "datasets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "process_rules" (
    "id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'automatic',
    "rules" JSONB,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "process_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "upload_files" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "extension" TEXT NOT NULL,
    "mime_type" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "upload_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "documents" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "data_source_type" TEXT NOT NULL DEFAULT 'upload_file',
    "data_source_info" JSONB,
    "dataset_process_rule_id" UUID,
    "batch" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_from" TEXT NOT NULL DEFAULT 'api',
    "created_by" UUID NOT NULL,
    "created_api_request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processing_started_at" TIMESTAMPTZ(3),
    "file_id" UUID,
    "word_count" INTEGER,
    "parsing_completed_at" TIMESTAMPTZ(3),
    "cleaning_completed_at" TIMESTAMPTZ(3),
    "splitting_completed_at" TIMESTAMPTZ(3),
    "tokens" INTEGER,
    "indexing_latency" DOUBLE PRECISION,
    "completed_at" TIMESTAMPTZ(3),
    "is_paused" BOOLEAN NOT NULL DEFAULT false,
    "paused_by" UUID,
    "paused_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "stopped_at" TIMESTAMPTZ(3),
    "indexing_status" TEXT NOT NULL DEFAULT 'waiting',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_by" UUID,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "archived_reason" TEXT,
    "archived_by" UUID,
    "archived_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doc_type" TEXT,
    "doc_metadata" JSONB,
    "doc_form" TEXT NOT NULL DEFAULT 'text_model',
    "doc_language" TEXT,
    "need_summary" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segments" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "answer" TEXT,
    "word_count" INTEGER NOT NULL,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "keywords" JSONB,
    "index_node_id" TEXT,
    "index_node_hash" TEXT,
    "hit_count" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_by" UUID,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "indexing_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "stopped_at" TIMESTAMPTZ(3),

    CONSTRAINT "segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "child_chunks" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "segment_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "word_count" INTEGER NOT NULL,
    "index_node_id" TEXT,
    "index_node_hash" TEXT,
    "type" TEXT NOT NULL DEFAULT 'automatic',
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "indexing_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "child_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "embeddings" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "segment_id" UUID NOT NULL,
    "child_chunk_id" UUID,
    "node_id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "dimension" INTEGER NOT NULL,
    "embedding" vector NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "embeddings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tags" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'knowledge',
    "name" TEXT NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag_bindings" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "tag_id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tag_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_metadatas" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "dataset_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_metadatas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset_metadata_bindings" (
    "id" UUID NOT NULL,
    "metadata_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_metadata_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "indexing_jobs" (
    "id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'index',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_by" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "indexing_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workspaces_name_key" ON "workspaces"("name");

-- CreateIndex
CREATE INDEX "accounts_workspace_id_role_idx" ON "accounts"("workspace_id", "role");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_token_hash_key" ON "api_keys"("token_hash");

-- CreateIndex
CREATE INDEX "api_keys_workspace_id_idx" ON "api_keys"("workspace_id");

-- CreateIndex
CREATE INDEX "api_key_datasets_dataset_id_idx" ON "api_key_datasets"("dataset_id");

-- CreateIndex
CREATE INDEX "datasets_workspace_id_created_at_id_idx" ON "datasets"("workspace_id", "created_at" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "datasets_workspace_id_name_key" ON "datasets"("workspace_id", "name");

-- CreateIndex
CREATE INDEX "process_rules_dataset_id_created_at_idx" ON "process_rules"("dataset_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "upload_files_workspace_id_idx" ON "upload_files"("workspace_id");

-- CreateIndex
CREATE INDEX "documents_dataset_id_position_idx" ON "documents"("dataset_id", "position");

-- CreateIndex
CREATE INDEX "documents_dataset_id_batch_idx" ON "documents"("dataset_id", "batch");

-- CreateIndex
CREATE INDEX "documents_dataset_id_name_idx" ON "documents"("dataset_id", "name");

-- CreateIndex
CREATE INDEX "segments_document_id_position_idx" ON "segments"("document_id", "position");

-- CreateIndex
CREATE INDEX "segments_dataset_id_status_idx" ON "segments"("dataset_id", "status");

-- CreateIndex
CREATE INDEX "child_chunks_segment_id_position_idx" ON "child_chunks"("segment_id", "position");

-- CreateIndex
CREATE INDEX "child_chunks_document_id_idx" ON "child_chunks"("document_id");

-- CreateIndex
CREATE UNIQUE INDEX "embeddings_node_id_key" ON "embeddings"("node_id");

-- CreateIndex
CREATE INDEX "embeddings_dataset_id_idx" ON "embeddings"("dataset_id");

-- CreateIndex
CREATE INDEX "embeddings_document_id_idx" ON "embeddings"("document_id");

-- CreateIndex
CREATE INDEX "embeddings_segment_id_idx" ON "embeddings"("segment_id");

-- CreateIndex
CREATE INDEX "tags_workspace_id_type_idx" ON "tags"("workspace_id", "type");

-- CreateIndex
CREATE INDEX "tag_bindings_target_id_idx" ON "tag_bindings"("target_id");

-- CreateIndex
CREATE UNIQUE INDEX "tag_bindings_tag_id_target_id_key" ON "tag_bindings"("tag_id", "target_id");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_metadatas_dataset_id_name_key" ON "dataset_metadatas"("dataset_id", "name");

-- CreateIndex
CREATE INDEX "dataset_metadata_bindings_document_id_idx" ON "dataset_metadata_bindings"("document_id");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_metadata_bindings_metadata_id_document_id_key" ON "dataset_metadata_bindings"("metadata_id", "document_id");

-- CreateIndex
CREATE INDEX "indexing_jobs_status_run_at_idx" ON "indexing_jobs"("status", "run_at");

-- CreateIndex
CREATE INDEX "indexing_jobs_document_id_idx" ON "indexing_jobs"("document_id");

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key_datasets" ADD CONSTRAINT "api_key_datasets_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key_datasets" ADD CONSTRAINT "api_key_datasets_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "process_rules" ADD CONSTRAINT "process_rules_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "upload_files" ADD CONSTRAINT "upload_files_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_dataset_process_rule_id_fkey" FOREIGN KEY ("dataset_process_rule_id") REFERENCES "process_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_file_id_fkey" FOREIGN KEY ("file_id") REFERENCES "upload_files"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segments" ADD CONSTRAINT "segments_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "child_chunks" ADD CONSTRAINT "child_chunks_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "child_chunks" ADD CONSTRAINT "child_chunks_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "embeddings" ADD CONSTRAINT "embeddings_segment_id_fkey" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "embeddings" ADD CONSTRAINT "embeddings_child_chunk_id_fkey" FOREIGN KEY ("child_chunk_id") REFERENCES "child_chunks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tags" ADD CONSTRAINT "tags_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_bindings" ADD CONSTRAINT "tag_bindings_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag_bindings" ADD CONSTRAINT "tag_bindings_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_metadatas" ADD CONSTRAINT "dataset_metadatas_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_metadata_bindings" ADD CONSTRAINT "dataset_metadata_bindings_metadata_id_fkey" FOREIGN KEY ("metadata_id") REFERENCES "dataset_metadatas"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset_metadata_bindings" ADD CONSTRAINT "dataset_metadata_bindings_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indexing_jobs" ADD CONSTRAINT "indexing_jobs_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;
